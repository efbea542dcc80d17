/**
 * Binary ranking metrics: ROC curve and AUC, precision-recall curve and average precision.
 *
 * Convention: an item is called positive when its score is >= the threshold. Items with equal scores are one
 * step of a curve (they cannot be separated by any threshold), which makes the AUC the Mann-Whitney statistic
 * with ties counted 1/2. With no positives (or, for ROC, no negatives) the rate that divides by them is NaN
 * and so is the AUC / AP: undefined, not 0.5 or 0.
 */
import { checkFiniteScores, checkSameLength, checkWeights, ratio, type Weights } from './inputs';

/** Items ordered by descending score (ties by index) and where each run of equal scores ends. */
export interface RankedScores {
  readonly scores: readonly number[];
  /** Item indices, highest score first. */
  readonly order: Int32Array;
  /** Exclusive end (in `order`) of each run of equal scores, ascending; the last one is `scores.length`. */
  readonly blockEnds: Int32Array;
}

export interface RocCurve {
  /** False positive rate per threshold; NaN everywhere when there are no negatives. */
  fpr: number[];
  /** True positive rate (sensitivity) per threshold; NaN everywhere when there are no positives. */
  tpr: number[];
  /** Descending; the first is +Infinity (nothing called positive), then each distinct score. */
  thresholds: number[];
  /** Area under the curve; NaN without positives or without negatives. */
  auc: number;
}

export interface PrCurve {
  /** Precision when calling positive every item scoring >= thresholds[i]. */
  precision: number[];
  /** Recall per threshold; NaN everywhere when there are no positives. */
  recall: number[];
  /** Distinct scores, descending. There is no point for +Infinity: precision is undefined there. */
  thresholds: number[];
  /** scikit-learn's average precision: sum of (R_i - R_{i-1}) * P_i, step-wise, no interpolation. */
  averagePrecision: number;
}

/** Sorts once so that AUC and AP of many resamples (weights) cost O(n) each. */
export function rankScores(scores: readonly number[]): RankedScores {
  checkFiniteScores(scores);
  const order = Int32Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  const ends: number[] = [];
  for (let r = 1; r <= order.length; r++) {
    if (r === order.length || scores[order[r]] !== scores[order[r - 1]]) ends.push(r);
  }
  return { scores, order, blockEnds: Int32Array.from(ends) };
}

/** ROC AUC from ranked scores: P(score of a random positive > a random negative) + P(tie) / 2. */
export function rocAuc(ranked: RankedScores, positives: readonly boolean[], weights?: Weights): number {
  checkRankedInputs(ranked, positives, weights);
  return summarizeRanking(ranked, positives, weights).auc;
}

/** Average precision (scikit-learn definition) from ranked scores. */
export function averagePrecision(ranked: RankedScores, positives: readonly boolean[], weights?: Weights): number {
  checkRankedInputs(ranked, positives, weights);
  return summarizeRanking(ranked, positives, weights).averagePrecision;
}

/** ROC curve with one point per distinct score, plus the (0, 0) point at threshold +Infinity. */
export function rocCurve(scores: readonly number[], positives: readonly boolean[]): RocCurve {
  const ranked = rankScores(scores);
  checkRankedInputs(ranked, positives, undefined);
  const steps = cumulativeCounts(ranked, positives);
  return {
    fpr: [0, ...steps.fp].map((fp) => ratio(fp, steps.totalNeg)),
    tpr: [0, ...steps.tp].map((tp) => ratio(tp, steps.totalPos)),
    thresholds: [Infinity, ...steps.thresholds],
    auc: summarizeRanking(ranked, positives, undefined).auc,
  };
}

/** Precision-recall curve with one point per distinct score. */
export function prCurve(scores: readonly number[], positives: readonly boolean[]): PrCurve {
  const ranked = rankScores(scores);
  checkRankedInputs(ranked, positives, undefined);
  const steps = cumulativeCounts(ranked, positives);
  return {
    precision: steps.tp.map((tp, i) => ratio(tp, tp + steps.fp[i])),
    recall: steps.tp.map((tp) => ratio(tp, steps.totalPos)),
    thresholds: steps.thresholds,
    averagePrecision: summarizeRanking(ranked, positives, undefined).averagePrecision,
  };
}

export interface RankingSummary {
  auc: number;
  averagePrecision: number;
}

/**
 * AUC and average precision in one pass over ranked scores, without input checks: for bootstrap loops over
 * data already checked. AUC counts, for each negative, the positives ranked above it plus half of those tied
 * with it; AP adds precision at each threshold times the recall gained there.
 */
export function summarizeRanking(
  ranked: RankedScores,
  positives: readonly boolean[],
  weights: Weights | undefined,
): RankingSummary {
  const { order, blockEnds } = ranked;
  // Twice the pair count, so that a tie adds a whole number rather than one half.
  let doublePairs = 0;
  let precisionSum = 0;
  let tp = 0;
  let fp = 0;
  let start = 0;
  for (let b = 0; b < blockEnds.length; b++) {
    const end = blockEnds[b];
    let pos = 0;
    let neg = 0;
    for (let r = start; r < end; r++) {
      const i = order[r];
      const w = weights === undefined ? 1 : weights[i];
      if (positives[i]) pos += w;
      else neg += w;
    }
    doublePairs += neg * (2 * tp + pos);
    tp += pos;
    fp += neg;
    // Recall rises by pos / P here; the division by P is done once at the end.
    if (pos > 0) precisionSum += (pos * tp) / (tp + fp);
    start = end;
  }
  return { auc: ratio(doublePairs, 2 * tp * fp), averagePrecision: ratio(precisionSum, tp) };
}

/** Cumulative true and false positives at each distinct score (the thresholds), highest first. */
export function cumulativeCounts(
  ranked: RankedScores,
  positives: readonly boolean[],
): { tp: number[]; fp: number[]; thresholds: number[]; totalPos: number; totalNeg: number } {
  const tp: number[] = [];
  const fp: number[] = [];
  const thresholds: number[] = [];
  let tpSoFar = 0;
  let fpSoFar = 0;
  let start = 0;
  for (const end of ranked.blockEnds) {
    for (let r = start; r < end; r++) {
      if (positives[ranked.order[r]]) tpSoFar++;
      else fpSoFar++;
    }
    tp.push(tpSoFar);
    fp.push(fpSoFar);
    thresholds.push(ranked.scores[ranked.order[start]]);
    start = end;
  }
  return { tp, fp, thresholds, totalPos: tpSoFar, totalNeg: fpSoFar };
}

function checkRankedInputs(ranked: RankedScores, positives: readonly boolean[], weights: Weights | undefined): void {
  checkSameLength('positives', positives.length, ranked.scores.length);
  checkWeights(weights, ranked.scores.length);
}
