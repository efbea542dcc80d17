// Probabilities of a multi-label version for a dataset's items, and its per-finding metrics on labelled items
// (typically another dataset or a held-out list), at the thresholds the version chose on its validation side.
import type { Findings } from '../../dataset/multilabel/types';
import type { MlSession, RunOptions } from '../session';
import { evaluateFindings } from './findingMetrics';
import type { MultiLabelEvaluation } from './findingMetrics';
import { predictSigmoid } from './sigmoidHead';
import { hasLabels } from './targets';
import { PATIENT_COLUMN } from './trainMultiLabel';
import type { MultiLabelTrainableItem } from './trainMultiLabel';
import { loadMultiLabelHead } from './headStore';
import { MULTILABEL_KIND, MULTILABEL_VERSION_FORMAT } from './versionStore';
import type { MultiLabelVersion } from './versionStore';

export interface MultiLabelEvaluationReport extends MultiLabelEvaluation {
  version: typeof MULTILABEL_VERSION_FORMAT;
  kind: typeof MULTILABEL_KIND;
  modelVersion: number;
  /** Items left out (no findings, unreadable), with the reason. */
  skipped: { id: string; reason: string }[];
}

/** `items.length × findings` probabilities (zero rows where `errors[i]` is set). */
export async function predictMultiLabel(session: MlSession, version: MultiLabelVersion, items: readonly MultiLabelTrainableItem[], options: RunOptions = {}): Promise<{ probs: Float32Array; errors: (string | null)[] }> {
  const wanted = version.info.backbone;
  if (session.backbone.digest !== wanted.digest) throw new Error(`model v${version.info.modelVersion} was trained on backbone ${wanted.id}, but ${session.backbone.id} is loaded`);
  const { features, errors } = await session.embedItems(items, options);
  const head = await loadMultiLabelHead(version.dir);
  try {
    return { probs: predictSigmoid(head, features, session.featureDim), errors };
  } finally {
    head.dispose();
  }
}

/** Per-finding metrics of a version on the items that carry findings and could be embedded. */
export async function evaluateMultiLabelItems(session: MlSession, version: MultiLabelVersion, items: readonly MultiLabelTrainableItem[], options: RunOptions & { bootstrapIterations?: number } = {}): Promise<MultiLabelEvaluationReport> {
  const skipped: { id: string; reason: string }[] = [];
  const labelled = items.filter((item) => {
    if (!hasLabels(item.findings)) skipped.push({ id: item.id, reason: item.findings ? 'unlabelled: no finding mentioned' : 'no findings (not a multi-label item)' });
    return hasLabels(item.findings);
  });
  const { probs, errors } = await predictMultiLabel(session, version, labelled, options);
  const { findings, thresholds, thresholdMethod, trainConfig, modelVersion } = version.info;
  const k = findings.length;
  const used: number[] = [];
  labelled.forEach((item, i) => {
    if (errors[i]) skipped.push({ id: item.id, reason: errors[i]! });
    else used.push(i);
  });
  if (used.length === 0) throw new Error('no readable items with findings to evaluate');
  const rows = new Float32Array(used.length * k);
  used.forEach((i, r) => rows.set(probs.subarray(i * k, (i + 1) * k), r * k));
  const groups = used.map((i) => labelled[i].metadata[PATIENT_COLUMN] || null);
  const evaluation = evaluateFindings({
    findings,
    probs: rows,
    states: used.map((i) => labelled[i].findings as Findings),
    groups: groups.some((g) => g) ? groups : undefined,
    thresholds,
    thresholdMethod,
    config: trainConfig,
    bootstrap: { iterations: options.bootstrapIterations, seed: trainConfig.seed },
  });
  return { version: MULTILABEL_VERSION_FORMAT, kind: MULTILABEL_KIND, modelVersion, ...evaluation, skipped };
}
