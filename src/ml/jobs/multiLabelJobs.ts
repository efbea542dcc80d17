// Retrain Model and Score Dataset on a multi-label dataset (NIH, CheXpert, MIMIC-CXR, VinDr-CXR, PadChest files):
// a sigmoid head per finding from the journal's findings, every item's probabilities written for the gallery,
// and the per-finding report beside the single-label ones.
import * as path from 'node:path';
import type { Dataset } from '../../dataset';
import { backboneLocation } from '../modelVersions';
import { predictMultiLabel } from '../multilabel/evaluateMultiLabel';
import { writeFindingPredictions } from '../multilabel/findingPredictions';
import type { MultiLabelTrainConfig } from '../multilabel/config';
import { trainMultiLabel } from '../multilabel/trainMultiLabel';
import { latestMultiLabelVersion, multiLabelModelsDir, readMultiLabelVersion } from '../multilabel/versionStore';
import type { MultiLabelVersion } from '../multilabel/versionStore';
import { writeMultiLabelReport } from '../multilabel/writeMultiLabelReport';
import { stateDirOf } from '../session';
import type { MlSession } from '../session';
import type { DatasetJobParams, ScoreSummary } from './datasetJobs';
import { throwIfCancelled } from './jobContext';
import type { JobContext } from './jobContext';
import { embedOnly, engineName, progressReporter, withSession } from './jobSession';

export interface MultiLabelRetrainParams extends DatasetJobParams {
  findingsTrain?: Partial<MultiLabelTrainConfig>;
}

export interface MultiLabelRetrainSummary extends ScoreSummary {
  kind: 'findings';
  modelVersion: number;
  parent: number | null;
  /** Mean ROC AUC on the validation side, with its patient-bootstrap interval. */
  meanAuc: { estimate: number | null; low: number | null; high: number | null };
  findings: string[];
  /** Findings not trained (too few positives), with the reason. */
  leftOut: { finding: string; reason: string }[];
  warmStarted: boolean;
  /** Backbone blocks fine-tuned in this version (0: the head alone). */
  fineTunedBlocks: number;
  trainSeconds: number;
  /** The per-finding report (HTML; its JSON beside it). */
  report: string;
}

/** Trains the next multi-label version, scores every item with it and writes its report. */
export async function retrainMultiLabelDataset(dataset: Dataset, params: MultiLabelRetrainParams, ctx: JobContext): Promise<MultiLabelRetrainSummary> {
  const started = performance.now();
  let trainSeconds = 0;
  const { version, scored: scoredHere } = await withSession(params, params.backbone, ctx, async (session) => {
    const trained = await trainMultiLabel(session, dataset.items, {
      findings: dataset.multiLabel!.findings,
      config: params.findingsTrain,
      signal: ctx.signal,
      onProgress: progressReporter(ctx, 0.8),
    });
    trainSeconds = (performance.now() - started) / 1000;
    throwIfCancelled(ctx.signal);
    // A fine-tuned version sees images through its own backbone; the others through this session's.
    const fineTuned = backboneLocation(trained) !== params.backbone;
    return { version: trained, scored: fineTuned ? undefined : await scoreFindings(params.root, session, trained, dataset.items, ctx, 0.8) };
  });
  const scored = scoredHere ?? (await withSession(params, backboneLocation(version), ctx, (session) => scoreFindings(params.root, session, version, dataset.items, ctx, 0.8)));
  ctx.progress({ message: 'writing the report', fraction: 0.95 });
  const { info } = version;
  const parent = info.parent === null ? undefined : await readMultiLabelVersion(path.join(multiLabelModelsDir(stateDirOf(params.root)), `v${info.parent}`)).catch(() => undefined);
  const report = await writeMultiLabelReport(stateDirOf(params.root), { info, parent: parent?.info, datasetName: path.basename(params.root) });
  return {
    ...scored,
    kind: 'findings',
    parent: info.parent,
    meanAuc: info.metrics.meanAuc,
    findings: info.findings,
    leftOut: info.leftOut.map(({ finding, reason }) => ({ finding, reason })),
    warmStarted: info.warmStarted.length > 0,
    fineTunedBlocks: info.backbone.fineTunedBlocks ?? 0,
    trainSeconds,
    report: report.html,
  };
}

/** Score Dataset on a multi-label dataset: every item through the latest multi-label version (embedding only without one). */
export async function scoreMultiLabelDataset(dataset: Dataset, params: DatasetJobParams, ctx: JobContext): Promise<ScoreSummary> {
  const version = await latestMultiLabelVersion(stateDirOf(params.root));
  return withSession(params, version ? backboneLocation(version) : params.backbone, ctx, async (session) => {
    if (version) return scoreFindings(params.root, session, version, dataset.items, ctx, 0);
    return embedOnly(session, dataset.items, ctx);
  });
}

async function scoreFindings(root: string, session: MlSession, version: MultiLabelVersion, items: Dataset['items'], ctx: JobContext, from: number): Promise<ScoreSummary & { modelVersion: number }> {
  const scorable = items.filter((item) => !item.error);
  const { probs, errors } = await predictMultiLabel(session, version, scorable, { signal: ctx.signal, onProgress: progressReporter(ctx, 0.95, from) });
  throwIfCancelled(ctx.signal);
  const k = version.info.findings.length;
  const predicted = scorable.flatMap((item, i) => (errors[i] ? [] : [{ id: item.id, probs: Array.from(probs.subarray(i * k, (i + 1) * k)) }]));
  const failed = scorable.flatMap((item, i) => (errors[i] ? [{ id: item.id, error: errors[i]! }] : []));
  await writeFindingPredictions(root, { modelVersion: version.info.modelVersion, findings: version.info.findings, thresholds: version.info.thresholds, items: predicted, errors: failed });
  return { items: items.length, embedded: predicted.length, unreadable: items.length - predicted.length, modelVersion: version.info.modelVersion, predicted: predicted.length, backend: engineName(session) };
}
