// Every tunable of the ML engine, with its default stated once here (JSDoc) and applied by `resolve*`.
import { DEFAULT_FINE_TUNE_CONFIG } from './fineTune';

/** Random geometric and photometric changes, like Keras `ImageDataGenerator` (fill mode `nearest`). */
export interface AugmentConfig {
  /** Maximum rotation, in degrees, either way. Default `15`. */
  rotationRange: number;
  /** Maximum horizontal shift as a fraction of the width. Default `0.1`. */
  widthShiftRange: number;
  /** Maximum vertical shift as a fraction of the height. Default `0.1`. */
  heightShiftRange: number;
  /** Zoom factors are drawn from `[1 - zoomRange, 1 + zoomRange]`, per axis. Default `0.1`. */
  zoomRange: number;
  /** Mirror left-right with probability 1/2. Default `true` (as in the paper). */
  horizontalFlip: boolean;
  /** Brightness multiplier drawn from this range. Default `[0.9, 1.1]`. */
  brightnessRange: [number, number];
}

export type OptimizerName = 'adam' | 'rmsprop';

export interface TrainConfig {
  /** Maximum epochs over the training features. Default `40`. */
  epochs: number;
  /** Mini-batch size. Default `64`. */
  batchSize: number;
  /** Default `'adam'`. */
  optimizer: OptimizerName;
  /** Default `0.001`. */
  learningRate: number;
  /** Dropout rate before the dense softmax layer. Default `0.5`. */
  dropout: number;
  /** Weight classes by `n / (k · n_class)` so rare classes count as much as common ones. Default `true`. */
  classWeights: boolean;
  /** Share of the labelled items (by patient group) held out for validation and early stopping. Default `0.2`. */
  validationFraction: number;
  /** Stop after this many epochs without a lower validation loss, keeping the best weights. Default `5`. */
  patience: number;
  /** Smallest drop of the validation loss that counts as lower. Default `0.001`. */
  minDelta: number;
  /** Augmented views embedded per training image (0 = none). Default `2`. */
  augmentViews: number;
  /**
   * Backbone blocks fine-tuned with the head after the head trains on frozen features (the paper's second
   * phase; slower: it decodes and runs the training images again). 0 = none. Default `0`.
   */
  fineTuneBlocks: number;
  /** Adam learning rate of the fine-tuning phase; low, so pretrained filters move little. Default `1e-5`. */
  fineTuneLearningRate: number;
  /** Passes over the training images in the fine-tuning phase. Default `5`. */
  fineTuneEpochs: number;
  /** Start from the parent version's head when its classes and backbone match. Default `true`. */
  warmStart: boolean;
  /** Seed for the split, augmentation, initialisation and shuffling. Default `42`. */
  seed: number;
  augment: AugmentConfig;
}

export const DEFAULT_AUGMENT_CONFIG: Readonly<AugmentConfig> = Object.freeze({
  rotationRange: 15,
  widthShiftRange: 0.1,
  heightShiftRange: 0.1,
  zoomRange: 0.1,
  horizontalFlip: true,
  brightnessRange: [0.9, 1.1] as [number, number],
});

export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  epochs: 40,
  batchSize: 64,
  optimizer: 'adam' as OptimizerName,
  learningRate: 0.001,
  dropout: 0.5,
  classWeights: true,
  validationFraction: 0.2,
  patience: 5,
  minDelta: 0.001,
  augmentViews: 2,
  fineTuneBlocks: 0,
  fineTuneLearningRate: DEFAULT_FINE_TUNE_CONFIG.learningRate,
  fineTuneEpochs: DEFAULT_FINE_TUNE_CONFIG.epochs,
  warmStart: true,
  seed: 42,
  augment: DEFAULT_AUGMENT_CONFIG,
});

/** Throws a RangeError with `message` unless `ok`: config checks name the setting that cannot work. */
export function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** The head-training fields every head (single- and multi-label) shares. */
export type HeadTrainingFields = Pick<TrainConfig, 'epochs' | 'batchSize' | 'optimizer' | 'learningRate' | 'dropout' | 'validationFraction' | 'patience' | 'minDelta'>;

/** The fine-tuning fields both training configs (single- and multi-label) share. */
export type FineTuneFields = Pick<TrainConfig, 'fineTuneBlocks' | 'fineTuneLearningRate' | 'fineTuneEpochs'>;

/** Rejects fine-tuning values that cannot work. */
export function checkFineTuning(c: FineTuneFields): void {
  check(Number.isInteger(c.fineTuneBlocks) && c.fineTuneBlocks >= 0, `fineTuneBlocks must be a non-negative integer, got ${c.fineTuneBlocks}`);
  check(c.fineTuneLearningRate > 0 && Number.isFinite(c.fineTuneLearningRate), `fineTuneLearningRate must be positive, got ${c.fineTuneLearningRate}`);
  check(Number.isInteger(c.fineTuneEpochs) && c.fineTuneEpochs >= 1, `fineTuneEpochs must be a positive integer, got ${c.fineTuneEpochs}`);
}

/** Rejects head-training values that cannot work. */
export function checkHeadTraining(c: HeadTrainingFields): void {
  check(Number.isInteger(c.epochs) && c.epochs >= 1, `epochs must be a positive integer, got ${c.epochs}`);
  check(Number.isInteger(c.batchSize) && c.batchSize >= 1, `batchSize must be a positive integer, got ${c.batchSize}`);
  check(c.optimizer === 'adam' || c.optimizer === 'rmsprop', `optimizer must be adam or rmsprop, got ${String(c.optimizer)}`);
  check(c.learningRate > 0 && Number.isFinite(c.learningRate), `learningRate must be positive, got ${c.learningRate}`);
  check(c.dropout >= 0 && c.dropout < 1, `dropout must be in [0, 1), got ${c.dropout}`);
  check(c.validationFraction > 0 && c.validationFraction < 1, `validationFraction must be in (0, 1), got ${c.validationFraction}`);
  check(Number.isInteger(c.patience) && c.patience >= 1, `patience must be a positive integer, got ${c.patience}`);
  check(c.minDelta >= 0 && Number.isFinite(c.minDelta), `minDelta must be non-negative, got ${c.minDelta}`);
}

/** Fills in defaults and rejects values that cannot work, with a message naming the setting. */
export function resolveTrainConfig(partial: Partial<Omit<TrainConfig, 'augment'>> & { augment?: Partial<AugmentConfig> } = {}): TrainConfig {
  const c: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...partial, augment: { ...DEFAULT_AUGMENT_CONFIG, ...partial.augment } };
  checkHeadTraining(c);
  check(Number.isInteger(c.augmentViews) && c.augmentViews >= 0, `augmentViews must be a non-negative integer, got ${c.augmentViews}`);
  checkFineTuning(c);
  check(Number.isSafeInteger(c.seed), `seed must be an integer, got ${c.seed}`);
  const a = c.augment;
  check(a.rotationRange >= 0 && a.rotationRange <= 180, `augment.rotationRange must be in [0, 180], got ${a.rotationRange}`);
  check(a.widthShiftRange >= 0 && a.widthShiftRange < 1 && a.heightShiftRange >= 0 && a.heightShiftRange < 1, 'augment shift ranges must be in [0, 1)');
  check(a.zoomRange >= 0 && a.zoomRange < 1, `augment.zoomRange must be in [0, 1), got ${a.zoomRange}`);
  check(a.brightnessRange[0] > 0 && a.brightnessRange[0] <= a.brightnessRange[1], `augment.brightnessRange must be [low, high] with 0 < low <= high`);
  return c;
}
