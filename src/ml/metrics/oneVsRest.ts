/** Multiclass ROC / PR analysis, each class against the rest, with unweighted (macro) means. */
import { checkClassIndices, checkNumClasses, checkSameLength, meanOfDefined } from './inputs';
import { prCurve, rocCurve, type PrCurve, type RocCurve } from './curves';

export interface ClassCurves {
  class: string;
  /** Items of this class. */
  positives: number;
  roc: RocCurve;
  pr: PrCurve;
}

export interface OneVsRestResult {
  perClass: ClassCurves[];
  /** Mean ROC AUC over the classes where it is defined (present and not the only class); NaN if none. */
  macroAuc: number;
  /** Mean average precision over the classes where it is defined (present); NaN if none. */
  macroAveragePrecision: number;
}

/** One-vs-rest curves from class probabilities (row i = item i, column k = class k) and true class indices. */
export function oneVsRest(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  classes: readonly string[],
): OneVsRestResult {
  checkProbabilityRows(probs, classes.length);
  checkSameLength('yTrue', yTrue.length, probs.length);
  checkClassIndices('yTrue', yTrue, classes.length);
  const perClass = classes.map((name, k): ClassCurves => {
    const scores = probs.map((row) => row[k]);
    const positives = yTrue.map((y) => y === k);
    return {
      class: name,
      positives: positives.filter(Boolean).length,
      roc: rocCurve(scores, positives),
      pr: prCurve(scores, positives),
    };
  });
  return {
    perClass,
    macroAuc: meanOfDefined(perClass.map((c) => c.roc.auc)),
    macroAveragePrecision: meanOfDefined(perClass.map((c) => c.pr.averagePrecision)),
  };
}

/** Every row has one finite score per class. Rows need not sum to 1 (any per-class scores rank the same way). */
export function checkProbabilityRows(probs: readonly (readonly number[])[], numClasses: number): void {
  checkNumClasses(numClasses);
  probs.forEach((row, i) => {
    checkSameLength(`probs row ${i}`, row.length, numClasses);
    row.forEach((p, k) => {
      if (!Number.isFinite(p)) throw new RangeError(`probs[${i}][${k}] must be a finite number, got ${p}`);
    });
  });
}
