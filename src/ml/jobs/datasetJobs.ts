// The long jobs the extension runs on a dataset, each in a worker thread (see runJob.ts): score every item, and
// retrain from the journal's labels then re-score. Predictions of version N are kept in
// `<dataset>/.xray-curator/predictions/vN.json`, so the gallery can show what the last retrain changed.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset } from '../../dataset';
import type { Dataset } from '../../dataset';
import { auditDataset, auditSummary, shortcutFindingsOf } from '../audit/auditDataset';
import { auditsDir, latestAudit } from '../audit/auditFiles';
import { renderAuditMarkdown } from '../audit/auditMarkdown';
import type { AuditSection } from '../audit/auditMarkdown';
import { labelIssueCount, labelIssueMarks, type LabelIssueMarks } from '../audit/issueMarks';
import { writeAtomically } from '../../dataset/atomicFile';
import type { TrainConfig } from '../config';
import { backboneLocation, latestVersion } from '../modelStore';
import type { ModelVersion } from '../modelStore';
import { predictionsPath } from '../predictionFiles';
import { predictItems } from '../predictItems';
import { saveValidationReport } from '../report';
import { stateDirOf } from '../session';
import type { MlProgress, MlSession } from '../session';
import { embedOnly, engineName, progressReporter, withSession } from './jobSession';
import { retrainMultiLabelDataset, scoreMultiLabelDataset } from './multiLabelJobs';
import type { MultiLabelRetrainParams, MultiLabelRetrainSummary } from './multiLabelJobs';
import { trainModel } from '../trainModel';
import { throwIfCancelled } from './jobContext';
import type { JobContext } from './jobContext';

export interface DatasetJobParams {
  root: string;
  /** Backbone folder or `https://` URL of its `model.json`. */
  backbone: string;
  backboneSha256?: string;
  /** Where downloaded backbones are cached (the extension's global storage). */
  cacheDir?: string;
  /** An image list selecting a subset. */
  files?: string;
}

export interface RetrainParams extends DatasetJobParams, MultiLabelRetrainParams {
  classes?: string[];
  train?: Partial<Omit<TrainConfig, 'augment'>>;
}

export interface ScoreSummary {
  items: number;
  embedded: number;
  unreadable: number;
  /** The version that predicted, or null when no model has been trained yet. */
  modelVersion: number | null;
  predicted: number;
  backend: string;
}

export interface RetrainSummary extends ScoreSummary {
  modelVersion: number;
  parent: number | null;
  balancedAccuracy: number | null;
  macroAuc: number | null;
  warmStarted: boolean;
  /** Backbone blocks fine-tuned in this version (0: the head alone). */
  fineTunedBlocks: number;
  trainSeconds: number;
  /** The validation report written after training (HTML; JSON and Markdown beside it). */
  report: string;
}

export async function scoreDataset(params: DatasetJobParams, ctx: JobContext): Promise<ScoreSummary> {
  const dataset = await readDataset(params, ctx);
  if (dataset.multiLabel) return scoreMultiLabelDataset(dataset, params, ctx);
  const version = await latestVersion(stateDirOf(params.root));
  if (!version) {
    return withSession(params, params.backbone, ctx, (session) => embedOnly(session, dataset.items, ctx));
  }
  return withSession(params, backboneLocation(version), ctx, (session) => scoreWith(params.root, session, version, dataset.items, ctx, progressReporter(ctx, 1)));
}

/**
 * Trains a new version from the labels as they are now (the journal included), warm-started from the latest,
 * then re-scores every item and writes the version's validation report. With `train.fineTuneBlocks` > 0 the
 * last blocks of the backbone are fine-tuned too, and scoring runs through the fine-tuned backbone.
 */
export async function retrainDataset(params: RetrainParams, ctx: JobContext): Promise<RetrainSummary | MultiLabelRetrainSummary> {
  const dataset = await readDataset(params, ctx);
  if (dataset.multiLabel) {
    // Fine-Tune Backbone asks through `train`, as for class folders; the findings model takes the same three settings.
    const { fineTuneBlocks, fineTuneLearningRate, fineTuneEpochs } = params.train ?? {};
    const fineTuning = Object.fromEntries(Object.entries({ fineTuneBlocks, fineTuneLearningRate, fineTuneEpochs }).filter(([, value]) => value !== undefined));
    return retrainMultiLabelDataset(dataset, { ...params, findingsTrain: { ...params.findingsTrain, ...fineTuning } }, ctx);
  }
  const started = performance.now();
  let trainSeconds = 0;
  const scoreProgress = progressReporter(ctx, 0.95, 0.8);
  const { version, scored } = await withSession(params, params.backbone, ctx, async (session) => {
    const trained = await trainModel(session, dataset.items, {
      classes: params.classes,
      config: params.train,
      groupOf: await auditGroups(params.root),
      signal: ctx.signal,
      onProgress: progressReporter(ctx, 0.8),
    });
    trainSeconds = (performance.now() - started) / 1000;
    throwIfCancelled(ctx.signal);
    // A fine-tuned version sees images through its own backbone; the others through this session's.
    const fineTuned = backboneLocation(trained) !== params.backbone;
    return { version: trained, scored: fineTuned ? undefined : await scoreWith(params.root, session, trained, dataset.items, ctx, scoreProgress) };
  });
  const scores = scored ?? (await withSession(params, backboneLocation(version), ctx, (session) => scoreWith(params.root, session, version, dataset.items, ctx, scoreProgress)));
  ctx.progress({ message: 'writing the report', fraction: 0.95 });
  const { paths } = await saveValidationReport(params.root, version.info.modelVersion, { signal: ctx.signal });
  const { metrics, parent, warmStarted } = version.info;
  return {
    ...scores,
    modelVersion: version.info.modelVersion,
    parent,
    balancedAccuracy: metrics.balancedAccuracy.estimate,
    macroAuc: metrics.macroAuc.estimate,
    warmStarted,
    fineTunedBlocks: version.info.backbone.fineTunedBlocks ?? 0,
    trainSeconds,
    report: paths.html,
  };
}

export interface AuditSummary {
  /** The audit JSON and its Markdown page, in `<state>/audits/`. */
  json: string;
  markdown: string;
  summary: string;
  labelIssues: number;
  /** Multi-label datasets: uncertain finding labels to resolve (not counted in `labelIssues`). */
  toResolve?: number;
  duplicateClusters: number;
  shortcutFindings: string[];
  /** Issue scores and the issue queue's suggestions, for the gallery. */
  marks: LabelIssueMarks;
}

/** Label issues, duplicates and leakage, and source shortcuts, from the cached embeddings. */
export async function auditDatasetJob(params: DatasetJobParams & { section?: AuditSection }, ctx: JobContext): Promise<AuditSummary> {
  const dataset = await readDataset(params, ctx);
  const report = await withSession(params, params.backbone, ctx, (session) =>
    auditDataset(session, dataset, { files: params.files, signal: ctx.signal, onProgress: progressReporter(ctx, 0.7) }),
  );
  throwIfCancelled(ctx.signal);
  const dir = auditsDir(params.root);
  await fs.mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const json = path.join(dir, `audit-${stamp}.json`);
  const markdown = path.join(dir, `audit-${stamp}.md`);
  await writeAtomically(json, JSON.stringify(report, null, 1));
  await writeAtomically(markdown, renderAuditMarkdown(report, params.section));
  return {
    json,
    markdown,
    summary: auditSummary(report),
    labelIssues: labelIssueCount(report),
    ...(report.findingIssues ? { toResolve: report.findingIssues.toResolve.length } : {}),
    duplicateClusters: report.duplicates.clusters.length,
    shortcutFindings: shortcutFindingsOf(report),
    marks: labelIssueMarks(report),
  };
}

/** The newest audit's suggested split groups (the grouped-splits remedy), by item id; undefined without an audit. */
async function auditGroups(root: string): Promise<Map<string, string> | undefined> {
  const audit = await latestAudit(root);
  if (!audit) return undefined;
  return new Map(audit.report.leakage.suggestedGroups.flatMap(({ group, members }) => members.map((id): [string, string] => [id, group])));
}

async function readDataset(params: DatasetJobParams, ctx: JobContext): Promise<Dataset> {
  ctx.progress({ message: 'reading the dataset', fraction: 0 });
  const dataset = await openDataset(params.root, { files: params.files });
  throwIfCancelled(ctx.signal);
  return dataset;
}

async function scoreWith(
  root: string,
  session: MlSession,
  version: ModelVersion,
  items: Dataset['items'],
  ctx: JobContext,
  onProgress: (progress: MlProgress) => void,
): Promise<ScoreSummary & { modelVersion: number }> {
  const predictions = await predictItems(session, version, items, { signal: ctx.signal, onProgress });
  throwIfCancelled(ctx.signal);
  const file = predictionsPath(root, version.info.modelVersion);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, JSON.stringify(predictions));
  return {
    items: items.length,
    embedded: items.length - predictions.errors.length,
    unreadable: predictions.errors.length,
    modelVersion: version.info.modelVersion,
    predicted: predictions.items.length,
    backend: engineName(session),
  };
}

