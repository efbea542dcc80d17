// Predictions of a model version for every item of a dataset, and its metrics on a labelled dataset
// (with a per-`source` breakdown when the manifest has that column).
import { evaluate } from './metrics';
import type { Evaluation } from './metrics';
import { backboneLocation, loadHead } from './modelStore';
import type { ModelVersion } from './modelStore';
import { PREDICTIONS_VERSION, predictProbabilities, summarize } from './predict';
import type { PredictionsFile } from './predict';
import type { EmbeddableItem, MlSession, RunOptions } from './session';
import { GROUP_COLUMN } from './trainModel';
import type { TrainableItem } from './trainModel';

/** Format version of the evaluation JSON. */
export const EVALUATION_VERSION = 1;

/** The manifest column that names where an image came from. */
export const SOURCE_COLUMN = 'source';

export interface EvaluationReport {
  version: typeof EVALUATION_VERSION;
  modelVersion: number;
  classes: string[];
  /** Items evaluated (labelled with one of the model's classes and readable). */
  n: number;
  overall: Evaluation;
  /** Metrics per value of the manifest's `source` column; null when the column is absent. */
  bySource: Record<string, Evaluation> | null;
  /** Items left out, with the reason. */
  skipped: { id: string; reason: string }[];
}

function checkBackbone(session: MlSession, version: ModelVersion): void {
  const wanted = version.info.backbone;
  // Identity is the digest: the same weights may sit in folders of different names.
  if (session.backbone.digest !== wanted.digest) {
    throw new Error(`model v${version.info.modelVersion} was trained on backbone ${wanted.id}, but ${session.backbone.id} is loaded (use ${backboneLocation(version)})`);
  }
}

/** Class probabilities of the items that could be embedded, in item order, plus the per-item errors. */
async function probabilities(session: MlSession, version: ModelVersion, items: readonly EmbeddableItem[], options: RunOptions): Promise<{ probs: Float32Array; errors: (string | null)[] }> {
  checkBackbone(session, version);
  const { features, errors } = await session.embedItems(items, options);
  const head = await loadHead(version.dir);
  try {
    options.onProgress?.({ phase: 'predict', done: 0, total: items.length });
    const probs = predictProbabilities(head, features, session.featureDim);
    options.onProgress?.({ phase: 'predict', done: items.length, total: items.length });
    return { probs, errors };
  } finally {
    head.dispose();
  }
}

/** Predictions for every item; unreadable items are listed under `errors`. */
export async function predictItems(session: MlSession, version: ModelVersion, items: readonly EmbeddableItem[], options: RunOptions = {}): Promise<PredictionsFile> {
  const { classes, modelVersion } = version.info;
  const { probs, errors } = await probabilities(session, version, items, options);
  const k = classes.length;
  const out: PredictionsFile = { version: PREDICTIONS_VERSION, modelVersion, classes, items: [], errors: [] };
  items.forEach((item, i) => {
    const error = errors[i];
    if (error) out.errors.push({ id: item.id, error });
    else out.items.push(summarize(item.id, probs.subarray(i * k, (i + 1) * k), classes));
  });
  return out;
}

/** Metrics of a model version on labelled items (typically another dataset), overall and per source. */
export async function evaluateItems(session: MlSession, version: ModelVersion, items: readonly TrainableItem[], options: RunOptions = {}): Promise<EvaluationReport> {
  const { classes, modelVersion } = version.info;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const skipped: { id: string; reason: string }[] = [];
  const labelled = items.filter((item) => {
    if (item.label === null) skipped.push({ id: item.id, reason: 'unlabelled' });
    else if (!classIndex.has(item.label)) skipped.push({ id: item.id, reason: `label ${item.label} is not a class of the model (${classes.join(', ')})` });
    else return true;
    return false;
  });
  const { probs, errors } = await probabilities(session, version, labelled, options);
  const k = classes.length;
  const used = labelled.flatMap((item, i) => {
    if (errors[i]) {
      skipped.push({ id: item.id, reason: errors[i]! });
      return [];
    }
    return [{ item, probs: Array.from(probs.subarray(i * k, (i + 1) * k)), y: classIndex.get(item.label!)! }];
  });
  if (used.length === 0) throw new Error('no labelled, readable items with one of the model classes to evaluate');
  const evaluateRows = (rows: typeof used): Evaluation => {
    const groups = rows.map((r) => r.item.metadata[GROUP_COLUMN] || null);
    return evaluate(rows.map((r) => r.probs), rows.map((r) => r.y), classes, { groups: groups.some((g) => g) ? groups : undefined });
  };
  const hasSource = used.some((r) => r.item.metadata[SOURCE_COLUMN]);
  let bySource: Record<string, Evaluation> | null = null;
  if (hasSource) {
    bySource = {};
    const sources = [...new Set(used.map((r) => r.item.metadata[SOURCE_COLUMN] || '(none)'))].sort();
    for (const source of sources) bySource[source] = evaluateRows(used.filter((r) => (r.item.metadata[SOURCE_COLUMN] || '(none)') === source));
  }
  return { version: EVALUATION_VERSION, modelVersion, classes, n: used.length, overall: evaluateRows(used), bySource, skipped };
}
