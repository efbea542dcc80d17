// An agreement statistic with its percentile bootstrap interval over images, or null with the reason it is undefined.
import { bootstrapCI, DEFAULT_BOOTSTRAP_ALPHA, DEFAULT_BOOTSTRAP_ITERATIONS, DEFAULT_BOOTSTRAP_SEED } from '../metrics';

/** How the intervals are drawn. */
export interface AgreementOptions {
  /** Bootstrap resamples. Default 1000. */
  iterations?: number;
  /** Seed of the resampling generator: the same seed gives the same intervals. Default 0. */
  seed?: number;
  /** 1 - confidence level. Default 0.05 (95% intervals). */
  alpha?: number;
}

export const DEFAULT_AGREEMENT_OPTIONS: Required<AgreementOptions> = {
  iterations: DEFAULT_BOOTSTRAP_ITERATIONS,
  seed: DEFAULT_BOOTSTRAP_SEED,
  alpha: DEFAULT_BOOTSTRAP_ALPHA,
};

/**
 * `estimate` on all units, `low`/`high` the alpha/2 and 1 - alpha/2 percentiles of the resamples where the statistic
 * is defined (`replicates` of them; a resample can hold one category only). All null, with `reason`, when the
 * statistic is undefined on the data; `low`/`high` null alone when no resample was defined.
 */
export interface AgreementEstimate {
  estimate: number | null;
  low: number | null;
  high: number | null;
  replicates: number;
  reason?: string;
}

export const NO_PAIRED_ITEM = 'no item read by both';
export const NO_MULTIPLY_READ_ITEM = 'no item with two or more readings';
export const ONE_CATEGORY = 'every reading is the same category: chance agreement is 1, so the statistic is undefined';

/**
 * Bootstraps `statistic` (NaN where undefined) over `n` units. `groups` (the image of each unit) make a resample draw
 * whole images; leave it out when every unit is its own image.
 */
export function estimateWithInterval(
  n: number,
  statistic: (weights?: ArrayLike<number>) => number,
  emptyReason: string,
  options: AgreementOptions,
  groups?: readonly string[],
): AgreementEstimate {
  const estimate = n === 0 ? NaN : statistic();
  if (Number.isNaN(estimate)) return { estimate: null, low: null, high: null, replicates: 0, reason: n === 0 ? emptyReason : ONE_CATEGORY };
  const settings = { ...DEFAULT_AGREEMENT_OPTIONS, ...options };
  const interval = bootstrapCI((weights) => statistic(weights), n, { ...settings, groups });
  const bound = (value: number): number | null => (Number.isNaN(value) ? null : value);
  return { estimate, low: bound(interval.low), high: bound(interval.high), replicates: interval.replicates };
}
