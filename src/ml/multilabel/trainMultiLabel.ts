// Trains a new multi-label version from cached embeddings: items with findings -> targets under the uncertainty
// policy -> patient-grouped split (the dataset's own, or iterative stratification) -> findings with enough
// positives -> sigmoid head warm-started from the previous version -> optionally the last backbone blocks fine-tuned
// with it -> thresholds and per-finding metrics on the validation side -> `models-multilabel/vN/`.
import type * as tf from '@tensorflow/tfjs';
import type { Findings } from '../../dataset/multilabel/types';
import { readHeadWeights } from '../head';
import { labelsFingerprint } from '../modelVersions';
import type { EmbeddableItem, MlSession, RunOptions } from '../session';
import { withoutOversizedGroups } from '../splits';
import { fineTunePhase } from '../trainFineTuned';
import type { FineTunedModel } from '../trainFineTuned';
import type { Split } from '../splits';
import { resolveMultiLabelConfig } from './config';
import type { MultiLabelTrainConfig } from './config';
import { evaluateFindings } from './findingMetrics';
import { initialWeights, predictSigmoid } from './sigmoidHead';
import { iterativeGroupSplit } from './stratify';
import { hasLabels, labelCounts, labelMatrix, selectFindings, selectRows } from './targets';
import type { LabelMatrix } from './targets';
import { trainSigmoidHead } from './trainSigmoidHead';
import { loadMultiLabelHead, saveMultiLabelVersion } from './headStore';
import { latestMultiLabelVersion } from './versionStore';
import type { MultiLabelVersion, MultiLabelVersionInfo } from './versionStore';

/** The metadata column that groups items by patient. */
export const PATIENT_COLUMN = 'patient_id';

/** Resamples of the validation intervals stored with a version (a fast, rough interval). */
const VALIDATION_BOOTSTRAP_ITERATIONS = 200;

/** The item fields multi-label training reads (a multi-label `DatasetItem` has them all). */
export interface MultiLabelTrainableItem extends EmbeddableItem {
  findings?: Findings;
  metadata: Record<string, string>;
}

export interface TrainMultiLabelOptions extends RunOptions {
  /** The dataset's findings in order (`Dataset.multiLabel.findings`). */
  findings: readonly string[];
  config?: Partial<MultiLabelTrainConfig>;
}

function rowsOf(features: Float32Array, dim: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * dim);
  indices.forEach((i, k) => out.set(features.subarray(i * dim, (i + 1) * dim), k * dim));
  return out;
}

/** The dataset's own split when it names validation items, else patient-grouped iterative stratification. */
function chooseSplit(items: readonly MultiLabelTrainableItem[], matrix: LabelMatrix, config: MultiLabelTrainConfig): { split: Split; kind: 'dataset' | 'iterative'; grouped: boolean } {
  const validation = items.flatMap((item, i) => (item.metadata.split === 'validation' ? [i] : []));
  if (config.useDatasetSplit && validation.length > 0 && validation.length < items.length) {
    const train = items.flatMap((item, i) => (item.metadata.split === 'validation' ? [] : [i]));
    return { split: { train, validation, test: [] }, kind: 'dataset', grouped: false };
  }
  const k = matrix.findings.length;
  const positives = items.map((_, i) => matrix.findings.flatMap((_, f) => (matrix.mask[i * k + f] && matrix.targets[i * k + f] ? [f] : [])));
  const folds = Math.round(1 / config.validationFraction);
  const { groups } = withoutOversizedGroups(items.map((item) => item.metadata[PATIENT_COLUMN] || null), folds);
  const split = iterativeGroupSplit(positives, groups, { train: 1 - config.validationFraction, validation: config.validationFraction }, config.seed);
  return { split, kind: 'iterative', grouped: groups.some((g) => g) };
}

/** Which findings train: enough positives overall, and positives and negatives on both sides. */
function chooseFindings(matrix: LabelMatrix, split: Split, config: MultiLabelTrainConfig): { keep: number[]; leftOut: MultiLabelVersionInfo['leftOut'] } {
  const all = labelCounts(matrix);
  const train = labelCounts(matrix, split.train);
  const val = labelCounts(matrix, split.validation);
  const keep: number[] = [];
  const leftOut: MultiLabelVersionInfo['leftOut'] = [];
  const wanted = new Set(config.findings ?? matrix.findings);
  matrix.findings.forEach((finding, f) => {
    if (!wanted.has(finding)) return;
    const positives = all.positives[f];
    const reason =
      positives < config.minPositives ? `${positives} positive label(s), fewer than ${config.minPositives}`
      : train.positives[f] === 0 || val.positives[f] === 0 ? `no positive label on the ${train.positives[f] === 0 ? 'training' : 'validation'} side`
      : train.counted[f] === train.positives[f] || val.counted[f] === val.positives[f] ? 'no negative label on one side of the split'
      : null;
    if (reason) leftOut.push({ finding, positives, reason });
    else keep.push(f);
  });
  return { keep, leftOut };
}

/**
 * Trains and saves the next multi-label version; the items' `findings` are the truth. Items with nothing mentioned
 * (no row in the label file) and, with `useDatasetSplit`, the dataset's test items are not used.
 */
export async function trainMultiLabel(session: MlSession, items: readonly MultiLabelTrainableItem[], options: TrainMultiLabelOptions): Promise<MultiLabelVersion> {
  const config = resolveMultiLabelConfig(options.config);
  const unknown = config.findings?.filter((f) => !options.findings.includes(f)) ?? [];
  if (unknown.length) throw new Error(`unknown finding(s) ${unknown.join(', ')} (the dataset has ${options.findings.join(', ')})`);
  const candidates = items.filter((item) => hasLabels(item.findings) && item.hash && !item.error && !(config.useDatasetSplit && item.metadata.split === 'test'));
  const embedded = await session.embedItems(candidates, options);
  const usable = candidates.filter((_, i) => !embedded.errors[i]);
  const dim = session.featureDim;
  const features = rowsOf(embedded.features, dim, candidates.flatMap((_, i) => (embedded.errors[i] ? [] : [i])));
  const fullMatrix = labelMatrix(usable.map((item) => item.findings!), options.findings, config);
  const { split, kind, grouped } = chooseSplit(usable, fullMatrix, config);
  const { keep, leftOut } = chooseFindings(fullMatrix, split, config);
  if (keep.length === 0) throw new Error(`no finding can be trained: ${leftOut.map((l) => `${l.finding} (${l.reason})`).join('; ')}`);
  const matrix = selectFindings(fullMatrix, keep);
  const findings = matrix.findings;

  const previous = await latestMultiLabelVersion(session.stateDir);
  const compatible = config.warmStart && previous && previous.info.backbone.digest === session.backbone.digest;
  const parentHead: tf.LayersModel | undefined = compatible ? await loadMultiLabelHead(previous.dir) : undefined;
  let head: tf.Sequential | undefined;
  let fineTuned: FineTunedModel | undefined;
  try {
    const parent = parentHead && previous ? { findings: previous.info.findings, weights: readHeadWeights(parentHead) } : undefined;
    const { weights, warmStarted } = initialWeights(dim, findings, config.seed, parent);
    const valFeatures = rowsOf(features, dim, split.validation);
    const trainLabels = selectRows(matrix, split.train);
    const valLabels = selectRows(matrix, split.validation);
    const trained = await trainSigmoidHead({
      featureDim: dim,
      train: { features: rowsOf(features, dim, split.train), labels: trainLabels },
      validation: { features: valFeatures, labels: valLabels },
      config,
      initial: weights,
      signal: options.signal,
      onEpoch: (log) => options.onProgress?.({ phase: 'train', done: log.epoch, total: config.epochs }),
    });
    head = trained.head;
    let probs = predictSigmoid(head, valFeatures, dim);
    if (config.fineTuneBlocks > 0) {
      // Second phase, as for class models: the last blocks and the head on the real images, same weighted loss.
      const side = (rows: number[], labels: LabelMatrix) => ({ paths: rows.map((i) => usable[i].absPath), targets: labels.targets, mask: labels.mask, positiveWeights: trained.positiveWeights });
      fineTuned = await fineTunePhase(session, head, config, { train: side(split.train, trainLabels), validation: side(split.validation, valLabels) }, options);
      probs = fineTuned.validationProbs;
    }
    const valItems = split.validation.map((i) => usable[i]);
    const k = findings.length;
    const groups = valItems.map((item) => item.metadata[PATIENT_COLUMN] || null);
    const fixed = config.threshold === 'youden' ? null : config.threshold;
    // Without given thresholds the evaluation picks Youden's on these validation items: they become the version's.
    const metrics = evaluateFindings({
      findings,
      probs,
      states: valItems.map((item) => item.findings!),
      groups: groups.some((g) => g) ? groups : undefined,
      thresholds: fixed === null ? undefined : findings.map(() => fixed),
      thresholdMethod: 'fixed',
      config,
      bootstrap: { iterations: VALIDATION_BOOTSTRAP_ITERATIONS, seed: config.seed },
    });
    const counts = labelCounts(matrix);
    const perFinding = Object.fromEntries(findings.map((finding, f) => [finding, { positives: counts.positives[f], negatives: counts.counted[f] - counts.positives[f], ignored: matrix.rows - counts.counted[f] }]));
    return await saveMultiLabelVersion(session.stateDir, fineTuned?.head ?? head, {
      parent: previous?.info.modelVersion ?? null,
      findings,
      leftOut,
      thresholds: metrics.findings.map((m) => m.threshold),
      thresholdMethod: fixed === null ? 'youden' : 'fixed',
      positiveWeights: trained.positiveWeights,
      backbone: session.backboneRecord(),
      trainConfig: config,
      labelsFingerprint: labelsFingerprint(usable.map((item) => ({ hash: item.hash!, label: findings.map((f) => item.findings![f] ?? 'unmentioned').join(',') }))),
      trainedOn: { train: split.train.length, validation: split.validation.length, split: kind, groupedBy: grouped ? PATIENT_COLUMN : null, perFinding },
      warmStarted,
      bestEpoch: trained.bestEpoch,
      history: trained.history,
      metrics,
    }, {
      findings,
      ids: valItems.map((item) => item.id),
      probs: valItems.map((_, r) => Array.from(probs.subarray(r * k, (r + 1) * k))),
      states: valItems.map((item) => findings.map((f) => item.findings![f] ?? 'unmentioned')),
    }, fineTuned && { model: fineTuned.backbone, base: session.backboneRecord(), blocks: config.fineTuneBlocks });
  } finally {
    parentHead?.dispose();
    head?.dispose();
    fineTuned?.backbone.dispose();
    fineTuned?.head.dispose();
  }
}
