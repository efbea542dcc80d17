// Trains a new model version of a dataset from cached features: labelled items -> patient-grouped stratified
// split -> augmented views of the training side -> head (warm-started from the latest version) -> validation
// metrics -> `models/vN/`.
import type * as tf from '@tensorflow/tfjs';
import { resolveTrainConfig } from './config';
import type { AugmentConfig, TrainConfig } from './config';
import { evaluate } from './metrics';
import { labelsFingerprint, latestVersion, loadHead, MODEL_VERSION_FORMAT, saveVersion } from './modelStore';
import type { ModelVersion } from './modelStore';
import { predictProbabilities } from './predict';
import type { EmbeddableItem, MlSession, RunOptions } from './session';
import { stratifiedGroupSplit, withoutOversizedGroups } from './splits';
import { fineTunePhase } from './trainFineTuned';
import type { FineTunedModel } from './trainFineTuned';
import { trainHead } from './trainHead';

/** `trainedOn.groupedBy` when the split followed the audit's suggested groups. */
export const AUDIT_GROUPS = 'audit: patients + duplicate clusters';

/** The manifest column that groups items by patient. */
export const GROUP_COLUMN = 'patient_id';

/** Bootstrap resamples for the validation metrics stored with a version (a fast, rough interval). */
const VALIDATION_BOOTSTRAP_ITERATIONS = 200;

export interface TrainableItem extends EmbeddableItem {
  label: string | null;
  metadata: Record<string, string>;
}

export interface TrainModelOptions extends RunOptions {
  /** Classes in model order. Default: every label present, sorted. */
  classes?: string[];
  config?: Partial<Omit<TrainConfig, 'augment'>> & { augment?: Partial<AugmentConfig> };
  /**
   * Split groups by item id that replace the patient ids: the audit's suggested grouping (patients joined with
   * duplicate clusters), so near-copies of one image never sit on both sides of the validation split.
   */
  groupOf?: ReadonlyMap<string, string>;
}

function rowsOf(features: Float32Array, dim: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * dim);
  indices.forEach((i, k) => out.set(features.subarray(i * dim, (i + 1) * dim), k * dim));
  return out;
}

function toRows(flat: Float32Array, k: number): number[][] {
  return Array.from({ length: flat.length / k }, (_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
}

/** Trains and saves the next version; the items' `label` is the truth (journal edits included). */
export async function trainModel(session: MlSession, items: readonly TrainableItem[], options: TrainModelOptions = {}): Promise<ModelVersion> {
  const config = resolveTrainConfig(options.config);
  const present = [...new Set(items.flatMap((item) => (item.label ? [item.label] : [])))].sort();
  const classes = options.classes ?? present;
  if (new Set(classes).size !== classes.length) throw new Error(`classes must be distinct: ${classes.join(',')}`);
  if (classes.length < 2) throw new Error(`training needs at least 2 classes, found ${classes.length === 0 ? 'none' : classes.join(',')}`);
  const classIndex = new Map(classes.map((c, i) => [c, i]));

  const candidates = items.filter((item) => item.label !== null && classIndex.has(item.label) && item.hash && !item.error);
  const embedded = await session.embedItems(candidates, options);
  const okRows = candidates.flatMap((_, i) => (embedded.errors[i] ? [] : [i]));
  const labelled = okRows.map((i) => candidates[i]);
  const labels = labelled.map((item) => classIndex.get(item.label!)!);
  for (const [c, name] of classes.entries()) {
    const count = labels.filter((y) => y === c).length;
    if (count < 2) throw new Error(`class ${name} has ${count} usable labelled image(s); at least 2 are needed`);
  }
  const dim = session.featureDim;
  const features = rowsOf(embedded.features, dim, okRows);
  const folds = Math.round(1 / config.validationFraction);
  const { groups, dropped } = withoutOversizedGroups(labelled.map((item) => options.groupOf?.get(item.id) ?? (item.metadata[GROUP_COLUMN] || null)), folds);
  const hasGroups = groups.some((g) => g);
  const split = stratifiedGroupSplit(labels, groups, { train: 1 - config.validationFraction, validation: config.validationFraction }, config.seed);

  // Augmented views join the training side only; validation stays on real images.
  const trainItems = split.train.map((i) => labelled[i]);
  let trainFeatures = rowsOf(features, dim, split.train);
  let trainLabels = Int32Array.from(split.train, (i) => labels[i]);
  let augmentedViews = 0;
  if (config.augmentViews > 0) {
    const views = await session.embedAugmented(trainItems, config.augmentViews, config.augment, config.seed, options);
    const ok = views.errors.flatMap((e, r) => (e ? [] : [r]));
    augmentedViews = ok.length;
    const merged = new Float32Array(trainFeatures.length + ok.length * dim);
    merged.set(trainFeatures);
    merged.set(rowsOf(views.features, dim, ok), trainFeatures.length);
    trainFeatures = merged;
    trainLabels = Int32Array.from([...trainLabels, ...ok.map((r) => trainLabels[Math.floor(r / config.augmentViews)])]);
  }

  const previous = await latestVersion(session.stateDir);
  const compatible = previous && previous.info.backbone.digest === session.backbone.digest && previous.info.classes.join('\n') === classes.join('\n');
  const parent: tf.LayersModel | undefined = compatible && config.warmStart ? await loadHead(previous.dir) : undefined;
  let head: tf.Sequential | undefined;
  let fineTuned: FineTunedModel | undefined;
  try {
    const valFeatures = rowsOf(features, dim, split.validation);
    const valLabels = Int32Array.from(split.validation, (i) => labels[i]);
    const trained = await trainHead({
      featureDim: dim,
      numClasses: classes.length,
      train: { features: trainFeatures, labels: trainLabels },
      validation: { features: valFeatures, labels: valLabels },
      config,
      parent,
      signal: options.signal,
      onEpoch: (log) => options.onProgress?.({ phase: 'train', done: log.epoch, total: config.epochs }),
    });
    head = trained.head;
    let probs = toRows(predictProbabilities(head, valFeatures, dim), classes.length);
    if (config.fineTuneBlocks > 0) {
      // Second phase: the last blocks and the head at a low learning rate, on the real training images.
      fineTuned = await fineTunePhase(session, head, config, {
        train: { paths: trainItems.map((item) => item.absPath), labels: split.train.map((i) => labels[i]) },
        validation: { paths: split.validation.map((i) => labelled[i].absPath), labels: Array.from(valLabels) },
      }, options);
      probs = toRows(fineTuned.validationProbs, classes.length);
    }
    const metrics = evaluate(probs, Array.from(valLabels), classes, {
      groups: hasGroups ? split.validation.map((i) => groups[i]) : undefined,
      bootstrap: { iterations: VALIDATION_BOOTSTRAP_ITERATIONS, seed: config.seed },
    });
    const perClass = Object.fromEntries(classes.map((c, k) => [c, labels.filter((y) => y === k).length]));
    return await saveVersion(session.stateDir, fineTuned?.head ?? head, {
      parent: previous?.info.modelVersion ?? null,
      classes,
      backbone: session.backboneRecord(),
      trainConfig: config,
      labelsFingerprint: labelsFingerprint(labelled.map((item) => ({ hash: item.hash!, label: item.label! }))),
      trainedOn: { train: split.train.length, validation: split.validation.length, augmentedViews, perClass, groupedBy: !hasGroups ? null : options.groupOf?.size ? AUDIT_GROUPS : GROUP_COLUMN, ignoredGroups: [...dropped].map(([group, items]) => ({ group, items })) },
      warmStarted: trained.warmStarted,
      bestEpoch: trained.bestEpoch,
      history: trained.history,
      metrics,
    }, { version: MODEL_VERSION_FORMAT, ids: split.validation.map((i) => labelled[i].id), probs }, fineTuned && { model: fineTuned.backbone, base: session.backboneRecord(), blocks: config.fineTuneBlocks });
  } finally {
    parent?.dispose();
    head?.dispose();
    fineTuned?.backbone.dispose();
    fineTuned?.head.dispose();
  }
}
