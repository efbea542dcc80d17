/**
 * Confusion matrix and the metrics derived from it.
 *
 * Undefined values are NaN, never a silent 0: a ratio whose denominator is 0 (sensitivity of a class with no
 * examples, precision of a class never predicted, MCC when all predictions or all labels are one class, kappa
 * when chance agreement is 1). Macro averages (balanced accuracy, macro F1) are over the classes where the
 * per-class value is defined, as scikit-learn does when its `labels` argument is not given.
 */
import {
  checkClassIndices,
  checkNumClasses,
  checkSameLength,
  checkWeights,
  meanOfDefined,
  ratio,
  type Weights,
} from './inputs';

/** One class against the rest. */
export interface ClassMetrics {
  class: string;
  /** Number (or total weight) of items whose true class is this one. */
  support: number;
  /** Recall, true positive rate: TP / (TP + FN). */
  sensitivity: number;
  /** True negative rate: TN / (TN + FP). */
  specificity: number;
  /** Positive predictive value: TP / (TP + FP). */
  precision: number;
  /** Negative predictive value: TN / (TN + FN). */
  npv: number;
  /** 2TP / (2TP + FP + FN). */
  f1: number;
}

export interface ClassificationMetrics {
  perClass: ClassMetrics[];
  accuracy: number;
  /** Mean sensitivity over classes with support. */
  balancedAccuracy: number;
  /** Mean F1 over classes that are present or predicted. */
  macroF1: number;
  /** Matthews correlation coefficient, multiclass form of Gorodkin (2004); equals the usual MCC for 2 classes. */
  mcc: number;
  /** Cohen's kappa (unweighted). */
  kappa: number;
  /** Rows = true class, columns = predicted class. */
  confusion: number[][];
}

/**
 * Confusion matrix, rows = true class, columns = predicted class. With `weights`, cell sums are the items'
 * weights instead of counts (bootstrap resamples pass how often each item was drawn).
 */
export function confusionMatrix(
  yTrue: readonly number[],
  yPred: readonly number[],
  numClasses: number,
  weights?: Weights,
): number[][] {
  checkNumClasses(numClasses);
  checkSameLength('yPred', yPred.length, yTrue.length);
  checkClassIndices('yTrue', yTrue, numClasses);
  checkClassIndices('yPred', yPred, numClasses);
  checkWeights(weights, yTrue.length);
  return fillConfusion(yTrue, yPred, numClasses, weights);
}

/** {@link confusionMatrix} without input checks, for inner loops over already-checked data. */
export function fillConfusion(
  yTrue: readonly number[],
  yPred: readonly number[],
  numClasses: number,
  weights?: Weights,
): number[][] {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) confusion[yTrue[i]][yPred[i]] += weights === undefined ? 1 : weights[i];
  return confusion;
}

/** All metrics of {@link ClassificationMetrics} from predicted class indices. */
export function classificationMetrics(
  yTrue: readonly number[],
  yPred: readonly number[],
  classes: readonly string[],
  weights?: Weights,
): ClassificationMetrics {
  return metricsFromConfusion(confusionMatrix(yTrue, yPred, classes.length, weights), classes);
}

/** All metrics of {@link ClassificationMetrics} from a square confusion matrix (rows = true class). */
export function metricsFromConfusion(
  confusion: readonly (readonly number[])[],
  classes: readonly string[],
): ClassificationMetrics {
  const k = classes.length;
  checkNumClasses(k);
  checkSameLength('confusion', confusion.length, k);
  confusion.forEach((row, r) => {
    checkSameLength(`confusion row ${r}`, row.length, k);
    row.forEach((cell, c) => {
      if (!Number.isFinite(cell) || cell < 0) throw new RangeError(`confusion[${r}][${c}] must be finite and >= 0, got ${cell}`);
    });
  });

  const trueTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predTotals = classes.map((_, c) => confusion.reduce((sum, row) => sum + row[c], 0));
  const total = trueTotals.reduce((a, b) => a + b, 0);
  const correct = classes.reduce((sum, _, c) => sum + confusion[c][c], 0);

  const perClass = classes.map((name, c): ClassMetrics => {
    const tp = confusion[c][c];
    const fn = trueTotals[c] - tp;
    const fp = predTotals[c] - tp;
    const tn = total - tp - fn - fp;
    return {
      class: name,
      support: trueTotals[c],
      sensitivity: ratio(tp, tp + fn),
      specificity: ratio(tn, tn + fp),
      precision: ratio(tp, tp + fp),
      npv: ratio(tn, tn + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
    };
  });

  // Gorodkin's R_K and Cohen's kappa share the chance term sum_k t_k p_k.
  const chance = classes.reduce((sum, _, c) => sum + trueTotals[c] * predTotals[c], 0);
  const sumSq = (values: readonly number[]): number => values.reduce((sum, v) => sum + v * v, 0);
  const mccDen = Math.sqrt((total * total - sumSq(predTotals)) * (total * total - sumSq(trueTotals)));
  const expectedAgreement = ratio(chance, total * total);

  return {
    perClass,
    accuracy: ratio(correct, total),
    balancedAccuracy: meanOfDefined(perClass.map((m) => m.sensitivity)),
    macroF1: meanOfDefined(perClass.map((m) => m.f1)),
    mcc: ratio(correct * total - chance, mccDen),
    kappa: ratio(ratio(correct, total) - expectedAgreement, 1 - expectedAgreement),
    confusion: confusion.map((row) => row.slice()),
  };
}
