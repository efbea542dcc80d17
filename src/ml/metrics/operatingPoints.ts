/**
 * Operating points of a binary score: the threshold that reaches a target sensitivity or specificity, and the
 * metrics at a given threshold (to apply a threshold chosen on validation data to test data).
 * An item is called positive when its score is >= the threshold.
 */
import { checkFiniteScores, checkSameLength, ratio } from './inputs';
import { cumulativeCounts, rankScores } from './curves';

/** Exactly one of the two, in [0, 1]. */
export type OperatingPointTarget =
  | { sensitivity: number; specificity?: undefined }
  | { specificity: number; sensitivity?: undefined };

export interface ThresholdMetrics {
  /** +Infinity means nothing is called positive. */
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** NaN when undefined (no positives, no negatives, nothing called positive or negative). */
  sensitivity: number;
  specificity: number;
  precision: number;
  npv: number;
}

export interface OperatingPoint extends ThresholdMetrics {
  target: OperatingPointTarget;
}

/**
 * For each target, the threshold that reaches it while giving up the least of the other rate:
 * sensitivity >= s at the highest such threshold (best specificity), specificity >= s at the lowest such
 * threshold (best sensitivity). `null` when the target is undefined for these labels: a sensitivity target
 * without positives, a specificity target without negatives.
 */
export function operatingPoints(
  scores: readonly number[],
  positives: readonly boolean[],
  targets: readonly OperatingPointTarget[],
): (OperatingPoint | null)[] {
  checkSameLength('positives', positives.length, scores.length);
  targets.forEach(checkTarget);
  const steps = cumulativeCounts(rankScores(scores), positives);
  // Candidates from strictest to loosest: +Infinity, then each distinct score.
  const thresholds = [Infinity, ...steps.thresholds];
  const tps = [0, ...steps.tp];
  const fps = [0, ...steps.fp];
  const at = (c: number, target: OperatingPointTarget): OperatingPoint => ({
    target,
    ...fromCounts(thresholds[c], tps[c], fps[c], steps.totalPos, steps.totalNeg),
  });

  return targets.map((target) => {
    const { sensitivity, specificity } = target;
    if (sensitivity !== undefined) {
      if (steps.totalPos === 0) return null;
      // tp / P >= s, compared as counts so that s = 0.95 with P = 20 accepts tp = 19 despite rounding.
      const c = tps.findIndex((tp) => tp >= sensitivity * steps.totalPos - 1e-9);
      return at(c, target);
    }
    if (steps.totalNeg === 0 || specificity === undefined) return null;
    let c = 0;
    while (c + 1 < thresholds.length && steps.totalNeg - fps[c + 1] >= specificity * steps.totalNeg - 1e-9) c++;
    return at(c, target);
  });
}

/** Counts and rates when calling positive every item with score >= threshold. */
export function metricsAtThreshold(
  scores: readonly number[],
  positives: readonly boolean[],
  threshold: number,
): ThresholdMetrics {
  checkFiniteScores(scores);
  checkSameLength('positives', positives.length, scores.length);
  if (Number.isNaN(threshold)) throw new RangeError('threshold must be a number, got NaN');
  let tp = 0;
  let fp = 0;
  let totalPos = 0;
  scores.forEach((score, i) => {
    if (positives[i]) totalPos++;
    if (score >= threshold) {
      if (positives[i]) tp++;
      else fp++;
    }
  });
  return fromCounts(threshold, tp, fp, totalPos, scores.length - totalPos);
}

function fromCounts(threshold: number, tp: number, fp: number, totalPos: number, totalNeg: number): ThresholdMetrics {
  const fn = totalPos - tp;
  const tn = totalNeg - fp;
  return {
    threshold,
    tp,
    fp,
    tn,
    fn,
    sensitivity: ratio(tp, totalPos),
    specificity: ratio(tn, totalNeg),
    precision: ratio(tp, tp + fp),
    npv: ratio(tn, tn + fn),
  };
}

function checkTarget(target: OperatingPointTarget, index: number): void {
  const { sensitivity, specificity } = target;
  if ((sensitivity === undefined) === (specificity === undefined)) {
    throw new RangeError(`target ${index} must set exactly one of sensitivity, specificity`);
  }
  const value = sensitivity ?? specificity;
  if (value === undefined || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`target ${index} must be in [0, 1], got ${value}`);
  }
}
