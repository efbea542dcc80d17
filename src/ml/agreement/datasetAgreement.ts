// The agreement report of a dataset folder as `xray-curator agreement` and Show Agreement Report build it: its readings
// (journal users, imported readers), its consensus rule, the latest model's predictions; and its files beside the
// metric reports, `reports/agreement-<time>.{json,md,html}`.
import * as path from 'node:path';
import { openDataset, readJournal, stateDirOf } from '../../dataset';
import { datasetReadings, DEFAULT_CONSENSUS, readConsensusRule } from '../../dataset/readers';
import type { ConsensusRule } from '../../dataset/readers';
import { latestFindingPredictions } from '../multilabel/findingPredictions';
import { predictionVersions, readPredictions } from '../predictionFiles';
import { compactTime, reportsDir, writeReportFiles } from '../report/writeReport';
import type { ReportPaths } from '../report/writeReport';
import { AGREEMENT_VERSION, buildAgreementReport } from './agreementReport';
import type { AgreementReport, ModelPredictedClasses } from './agreementReport';
import type { AgreementOptions } from './estimate';
import type { ModelFindingProbabilities } from './modelVsReadersFindings';
import { renderAgreementHtml, renderAgreementMarkdown } from './render';

export const AGREEMENT_FILE_PREFIX = 'agreement-';

export interface DatasetAgreementOptions extends AgreementOptions {
  /** Default: the dataset's own rule (`readers.json`), else majority. */
  rule?: ConsensusRule;
  /** A list of files that is the dataset (see `openDataset`). */
  files?: string;
}

/** The report, with the dataset's own warnings (its scan's) beside the report's. */
export async function datasetAgreement(root: string, options: DatasetAgreementOptions = {}): Promise<{ report: AgreementReport; datasetWarnings: string[] }> {
  const { rule, files, ...statistics } = options;
  const dataset = await openDataset(root, { files });
  const journal = await readJournal(dataset.root);
  const readings = await datasetReadings(dataset, journal.entries);
  const report = buildAgreementReport({
    dataset: dataset.root,
    readings,
    rule: rule ?? (await readConsensusRule(root)) ?? DEFAULT_CONSENSUS,
    ...(readings.kind === 'single-label' ? { predictions: await latestPredictions(dataset.root) } : { findingPredictions: await latestFindingProbabilities(dataset.root) }),
    options: Object.fromEntries(Object.entries(statistics).filter(([, v]) => v !== undefined)),
  });
  return { report, datasetWarnings: dataset.warnings };
}

/** Writes the report beside the metric reports (the side bar lists it); all three files or none. */
export function saveAgreementReport(root: string, report: AgreementReport, signal?: AbortSignal): Promise<ReportPaths> {
  const base = path.join(reportsDir(stateDirOf(root)), `${AGREEMENT_FILE_PREFIX}${compactTime(report.createdAt)}`);
  return writeReportFiles(base, { json: () => `${JSON.stringify(report, null, 2)}\n`, md: () => renderAgreementMarkdown(report), html: () => renderAgreementHtml(report) }, signal);
}

/** Parses a saved agreement report; throws on another format version. */
export function parseAgreementReport(text: string, where = 'agreement report'): AgreementReport {
  const value = JSON.parse(text) as Partial<AgreementReport> | null;
  if (value === null || typeof value !== 'object' || value.version !== AGREEMENT_VERSION || !Array.isArray(value.pairs)) {
    throw new Error(`${where} is not an agreement report of format version ${AGREEMENT_VERSION}`);
  }
  return value as AgreementReport;
}

/** The probabilities of the newest findings model that scored the dataset (`predictions/findings-vN.json`), if any. */
async function latestFindingProbabilities(root: string): Promise<ModelFindingProbabilities | undefined> {
  const file = await latestFindingPredictions(root);
  if (!file) return undefined;
  return { modelVersion: `v${file.modelVersion}`, findings: file.findings, thresholds: file.thresholds, probabilities: new Map(file.items.map((item) => [item.id, item.probs])) };
}

/** The predicted classes of the newest model version that scored the dataset (`predictions/vN.json`), if any. */
async function latestPredictions(root: string): Promise<ModelPredictedClasses | undefined> {
  const [latest] = await predictionVersions(root);
  const file = latest === undefined ? undefined : await readPredictions(root, latest);
  if (!file) return undefined;
  return {
    modelVersion: `v${file.modelVersion}`,
    classes: file.classes,
    predicted: new Map(file.items.map((item) => [item.id, item.predicted])),
    probabilities: new Map(file.items.map((item) => [item.id, item.probs])),
  };
}
