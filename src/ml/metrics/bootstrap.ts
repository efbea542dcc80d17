/**
 * Percentile bootstrap confidence intervals.
 *
 * A resample is given to the statistic as per-item weights (how many times each item was drawn), which the
 * metric functions accept directly: no index list is built per iteration and sorting is done once (see
 * `rankScores`). When groups (patients) are known, whole groups are drawn with replacement, because images
 * of one patient are not independent. For a paired comparison of two models, let the statistic return the
 * difference of their metrics on the same weights.
 */
import { groupMembers, seededRandom, type GroupId } from '../splits';

export interface BootstrapOptions {
  /**
   * Group (patient) of each item; a resample draws whole groups with replacement. Items with a null,
   * undefined or empty group are their own group. Default: items are drawn independently.
   */
  groups?: readonly GroupId[];
  /** Number of resamples. Default 1000. */
  iterations?: number;
  /** Seed of the resampling generator ({@link seededRandom}). Default 0. */
  seed?: number;
  /** 1 - confidence level. Default 0.05 (a 95% interval). */
  alpha?: number;
}

export interface ConfidenceInterval {
  /** The statistic on the data as given (all weights 1), not the mean of the resamples. */
  estimate: number;
  /** Percentiles alpha/2 and 1 - alpha/2 of the defined resample values (linear interpolation); NaN if none. */
  low: number;
  high: number;
  /** Resamples where the statistic was defined (not NaN); fewer than the iterations flags a fragile metric. */
  replicates: number;
}

/** Gets the multiplicity of every item in one resample. The array is reused: do not keep it. */
export type ResampleStatistic<T> = (weights: Uint32Array) => T;

export const DEFAULT_BOOTSTRAP_ITERATIONS = 1000;
export const DEFAULT_BOOTSTRAP_SEED = 0;
export const DEFAULT_BOOTSTRAP_ALPHA = 0.05;

/** Confidence interval of one statistic over `n` items. */
export function bootstrapCI(
  statistic: ResampleStatistic<number>,
  n: number,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  return bootstrapCIs((weights) => [statistic(weights)], n, options)[0];
}

/**
 * Confidence intervals of several statistics computed together on the same resamples (e.g. everything that
 * derives from one confusion matrix). The statistic must always return the same number of values.
 */
export function bootstrapCIs(
  statistic: ResampleStatistic<readonly number[]>,
  n: number,
  options: BootstrapOptions = {},
): ConfidenceInterval[] {
  const iterations = options.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS;
  const alpha = options.alpha ?? DEFAULT_BOOTSTRAP_ALPHA;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap needs n >= 1 items, got ${n}`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be an integer >= 1, got ${iterations}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (options.groups !== undefined && options.groups.length !== n) {
    throw new RangeError(`groups has ${options.groups.length} entries, expected ${n}`);
  }

  const weights = new Uint32Array(n).fill(1);
  const estimates = Array.from(statistic(weights));
  const m = estimates.length;
  const draw = resampler(n, options.groups, seededRandom(options.seed ?? DEFAULT_BOOTSTRAP_SEED));
  // Column-major so that each statistic's replicates are one contiguous run to sort.
  const replicates = new Float64Array(m * iterations);
  for (let it = 0; it < iterations; it++) {
    draw(weights);
    const values = statistic(weights);
    if (values.length !== m) throw new RangeError(`statistic returned ${values.length} values, expected ${m}`);
    for (let j = 0; j < m; j++) replicates[j * iterations + it] = values[j];
  }

  return estimates.map((estimate, j): ConfidenceInterval => {
    const defined = replicates.subarray(j * iterations, (j + 1) * iterations).filter((v) => !Number.isNaN(v)).sort();
    return {
      estimate,
      low: quantile(defined, alpha / 2),
      high: quantile(defined, 1 - alpha / 2),
      replicates: defined.length,
    };
  });
}

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default, R type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Returns a function that fills `weights` with the multiplicities of a fresh resample. */
function resampler(
  n: number,
  groups: readonly GroupId[] | undefined,
  random: () => number,
): (weights: Uint32Array) => void {
  if (groups === undefined) {
    return (weights) => {
      weights.fill(0);
      for (let d = 0; d < n; d++) weights[Math.floor(random() * n)]++;
    };
  }
  // Members of group g are items[starts[g]] .. items[starts[g + 1] - 1].
  const members = groupMembers(groups);
  const starts = new Int32Array(members.length + 1);
  members.forEach((items, g) => (starts[g + 1] = starts[g] + items.length));
  const items = Int32Array.from(members.flat());
  const count = members.length;
  return (weights) => {
    weights.fill(0);
    for (let d = 0; d < count; d++) {
      const g = Math.floor(random() * count);
      for (let r = starts[g]; r < starts[g + 1]; r++) weights[items[r]]++;
    }
  };
}
