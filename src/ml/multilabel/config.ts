// Every tunable of multi-label training, with its default stated once here (JSDoc) and applied by
// `resolveMultiLabelConfig`.
import { check, checkFineTuning, checkHeadTraining, DEFAULT_TRAIN_CONFIG } from '../config';
import type { FineTuneFields, OptimizerName } from '../config';

/** What an uncertain label (CheXpert / MIMIC-CXR `-1`) becomes in training. */
export type UncertaintyPolicy = 'ignore' | 'positive' | 'negative';

/**
 * CheXpert's U-Ones for Atelectasis and Edema (Irvin et al. 2019: "uncertain" there mostly means present),
 * U-Zeros for every other finding (see {@link MultiLabelTrainConfig.uncertainDefault}).
 */
export const DEFAULT_UNCERTAINTY: Readonly<Record<string, UncertaintyPolicy>> = Object.freeze({ Atelectasis: 'positive', Edema: 'positive' });

/**
 * The fine-tuning fields (`fineTuneBlocks`, `fineTuneLearningRate`, `fineTuneEpochs`) mean what they mean for the class
 * model, with its defaults: after the sigmoid head, the last blocks and the head train on the same weighted binary
 * cross-entropy.
 */
export interface MultiLabelTrainConfig extends FineTuneFields {
  /** Findings to train, in model order. Default: every finding of the dataset with enough positives. */
  findings?: string[];
  /** Policy per finding name for uncertain labels. Default {@link DEFAULT_UNCERTAINTY} (U-Ones for Atelectasis, Edema). */
  uncertainty: Record<string, UncertaintyPolicy>;
  /** Policy for uncertain labels of findings not in `uncertainty`. Default `'negative'` (U-Zeros). */
  uncertainDefault: UncertaintyPolicy;
  /** What an unmentioned finding (CheXpert blank) is: `'negative'` as CheXpert's baselines do, or `'ignore'`. Default `'negative'`. */
  unmentioned: 'negative' | 'ignore';
  /**
   * A finding trains only with at least this many positive labels among the usable items, and at least one on
   * each side of the split; the others are reported (`leftOut`) and not trained. Default `10`.
   */
  minPositives: number;
  /** Weight positives by negatives / positives per finding (on the training side), capped by `maxPositiveWeight`. Default `true`. */
  positiveWeights: boolean;
  /** Cap of a positive weight, so a finding with 3 positives in 10,000 does not dominate the loss. Default `100`. */
  maxPositiveWeight: number;
  /** Maximum epochs over the training features. Default `40`. */
  epochs: number;
  /** Mini-batch size. Default `128`. */
  batchSize: number;
  /** Default `'adam'`. */
  optimizer: OptimizerName;
  /** Default `0.001`. */
  learningRate: number;
  /** Dropout rate on the features before the dense sigmoid layer. Default `0.2`. */
  dropout: number;
  /** Share of the items (by patient) held out for validation, early stopping and thresholds. Default `0.2`. */
  validationFraction: number;
  /** Stop after this many epochs without a lower validation loss, keeping the best weights. Default `5`. */
  patience: number;
  /** Smallest drop of the validation loss that counts as lower. Default `0.0005`. */
  minDelta: number;
  /**
   * Items whose `split` metadata is `test` (NIH's test_list.txt, MIMIC's split file) are never trained on, and items
   * whose split is `validation` form the validation side when there are enough of them. Default `true`.
   */
  useDatasetSplit: boolean;
  /**
   * Decision threshold per finding: `'youden'` maximises sensitivity + specificity − 1 on the validation side, a
   * number is used for every finding. Default `'youden'`.
   */
  threshold: 'youden' | number;
  /** Start from the previous version's weights for the findings it has (matched by name). Default `true`. */
  warmStart: boolean;
  /** Seed of the split, initialisation, dropout and shuffling. Default `42`. */
  seed: number;
}

export const DEFAULT_MULTILABEL_CONFIG: Readonly<MultiLabelTrainConfig> = Object.freeze({
  uncertainty: DEFAULT_UNCERTAINTY,
  uncertainDefault: 'negative' as UncertaintyPolicy,
  unmentioned: 'negative' as const,
  minPositives: 10,
  positiveWeights: true,
  maxPositiveWeight: 100,
  epochs: 40,
  batchSize: 128,
  optimizer: 'adam' as OptimizerName,
  learningRate: 0.001,
  dropout: 0.2,
  validationFraction: 0.2,
  patience: 5,
  minDelta: 0.0005,
  useDatasetSplit: true,
  threshold: 'youden' as const,
  warmStart: true,
  seed: 42,
  fineTuneBlocks: DEFAULT_TRAIN_CONFIG.fineTuneBlocks,
  fineTuneLearningRate: DEFAULT_TRAIN_CONFIG.fineTuneLearningRate,
  fineTuneEpochs: DEFAULT_TRAIN_CONFIG.fineTuneEpochs,
});

const POLICIES: readonly string[] = ['ignore', 'positive', 'negative'];

/** Fills in defaults (an `uncertainty` given replaces the default map) and rejects values that cannot work. */
export function resolveMultiLabelConfig(partial: Partial<MultiLabelTrainConfig> = {}): MultiLabelTrainConfig {
  const given = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<MultiLabelTrainConfig>;
  const c: MultiLabelTrainConfig = { ...DEFAULT_MULTILABEL_CONFIG, uncertainty: { ...DEFAULT_UNCERTAINTY }, ...given };
  for (const [finding, policy] of Object.entries(c.uncertainty)) check(POLICIES.includes(policy), `uncertainty.${finding} must be ignore, positive or negative, got ${String(policy)}`);
  check(POLICIES.includes(c.uncertainDefault), `uncertainDefault must be ignore, positive or negative, got ${String(c.uncertainDefault)}`);
  check(c.unmentioned === 'negative' || c.unmentioned === 'ignore', `unmentioned must be negative or ignore, got ${String(c.unmentioned)}`);
  check(Number.isInteger(c.minPositives) && c.minPositives >= 1, `minPositives must be a positive integer, got ${c.minPositives}`);
  check(c.maxPositiveWeight >= 1, `maxPositiveWeight must be >= 1, got ${c.maxPositiveWeight}`);
  checkHeadTraining(c);
  checkFineTuning(c);
  check(c.threshold === 'youden' || (typeof c.threshold === 'number' && c.threshold >= 0 && c.threshold <= 1), `threshold must be 'youden' or in [0, 1], got ${String(c.threshold)}`);
  check(Number.isSafeInteger(c.seed), `seed must be an integer, got ${c.seed}`);
  if (c.findings) check(new Set(c.findings).size === c.findings.length && c.findings.length > 0, `findings must be distinct and not empty: ${c.findings.join(',')}`);
  return c;
}

/** The policy for one finding's uncertain labels. */
export function uncertaintyOf(config: MultiLabelTrainConfig, finding: string): UncertaintyPolicy {
  return config.uncertainty[finding] ?? config.uncertainDefault;
}
