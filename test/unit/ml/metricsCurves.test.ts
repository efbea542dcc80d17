import * as assert from 'node:assert/strict';
import {
  averagePrecision,
  metricsAtThreshold,
  oneVsRest,
  operatingPoints,
  prCurve,
  rankScores,
  rocAuc,
  rocCurve,
} from '../../../src/ml/metrics';

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

// Ten items with ties across classes (0.8, 0.7 and 0.3 are shared by positives and negatives).
const TIED_SCORES = [0.9, 0.8, 0.8, 0.7, 0.7, 0.7, 0.5, 0.3, 0.3, 0.1];
const TIED_POSITIVES = [true, true, false, true, false, false, true, false, true, false];

describe('ROC and precision-recall curves', () => {
  it('gives the scikit-learn documentation values', () => {
    // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75 and
    // average_precision_score(same) == 0.83... (sklearn docstrings); exactly 5/6.
    const scores = [0.1, 0.4, 0.35, 0.8];
    const positives = [false, false, true, true];
    assert.equal(rocCurve(scores, positives).auc, 0.75);
    assertClose(prCurve(scores, positives).averagePrecision, 5 / 6, 'AP');
  });

  it('counts ties as one half (Mann-Whitney) and puts tied items on one step', () => {
    // Reference: pure-Python count over all 25 positive-negative pairs (1 if higher, 1/2 if equal) = 16/25;
    // AP = sum over distinct thresholds of (R_t - R_prev) * P_t with fractions = 83/126.
    const roc = rocCurve(TIED_SCORES, TIED_POSITIVES);
    assertClose(roc.auc, 16 / 25, 'AUC');
    assert.deepEqual(roc.thresholds, [Infinity, 0.9, 0.8, 0.7, 0.5, 0.3, 0.1]);
    assert.deepEqual(roc.tpr, [0, 1 / 5, 2 / 5, 3 / 5, 4 / 5, 1, 1]);
    assert.deepEqual(roc.fpr, [0, 0, 1 / 5, 3 / 5, 3 / 5, 4 / 5, 1]);
    // The trapezoid area under these points is the same number.
    const trapezoid = roc.fpr.slice(1).reduce((area, x, i) => area + (x - roc.fpr[i]) * (roc.tpr[i + 1] + roc.tpr[i]) / 2, 0);
    assertClose(trapezoid, 16 / 25, 'trapezoid');

    const pr = prCurve(TIED_SCORES, TIED_POSITIVES);
    assertClose(pr.averagePrecision, 83 / 126, 'AP');
    assert.deepEqual(pr.thresholds, [0.9, 0.8, 0.7, 0.5, 0.3, 0.1]);
    assert.deepEqual(pr.recall, [1 / 5, 2 / 5, 3 / 5, 4 / 5, 1, 1]);
    assert.deepEqual(pr.precision, [1, 2 / 3, 3 / 6, 4 / 7, 5 / 9, 5 / 10]);
  });

  it('gives AUC 0.5 and AP = prevalence for constant scores', () => {
    const positives = [true, false, false, true, false];
    assert.equal(rocCurve([0.3, 0.3, 0.3, 0.3, 0.3], positives).auc, 0.5);
    assert.equal(prCurve([0.3, 0.3, 0.3, 0.3, 0.3], positives).averagePrecision, 2 / 5);
  });

  it('gives 1 for a perfect ranking and 0 for a reversed one', () => {
    const positives = [false, true, false, true];
    assert.equal(rocCurve([0.1, 0.9, 0.2, 0.8], positives).auc, 1);
    assert.equal(prCurve([0.1, 0.9, 0.2, 0.8], positives).averagePrecision, 1);
    assert.equal(rocCurve([0.9, 0.1, 0.8, 0.2], positives).auc, 0);
  });

  it('makes AUC and AP NaN without positives, AUC NaN without negatives', () => {
    const roc = rocCurve([0.2, 0.7], [false, false]);
    assert.ok(Number.isNaN(roc.auc));
    assert.ok(roc.tpr.every(Number.isNaN), 'TPR is undefined without positives');
    assert.deepEqual(roc.fpr, [0, 1 / 2, 1]);
    assert.ok(Number.isNaN(prCurve([0.2, 0.7], [false, false]).averagePrecision));
    assert.ok(Number.isNaN(rocCurve([0.2, 0.7], [true, true]).auc));
    assert.equal(prCurve([0.2, 0.7], [true, true]).averagePrecision, 1);
  });

  it('weights items like repeating them', () => {
    // Weights [2, 0, 1, ...] must equal the unweighted metric on the list with item 0 twice and item 1 dropped.
    const weights = [2, 0, 1, 1, 3, 1, 0, 1, 2, 1];
    const expandedScores: number[] = [];
    const expandedPositives: boolean[] = [];
    weights.forEach((w, i) => {
      for (let r = 0; r < w; r++) {
        expandedScores.push(TIED_SCORES[i]);
        expandedPositives.push(TIED_POSITIVES[i]);
      }
    });
    const ranked = rankScores(TIED_SCORES);
    assertClose(rocAuc(ranked, TIED_POSITIVES, weights), rocCurve(expandedScores, expandedPositives).auc, 'weighted AUC');
    assertClose(
      averagePrecision(ranked, TIED_POSITIVES, weights),
      prCurve(expandedScores, expandedPositives).averagePrecision,
      'weighted AP',
    );
  });

  it('rejects bad input with a message', () => {
    assert.throws(() => rocCurve([0.1, NaN], [true, false]), /scores\[1\] must be a finite number, got NaN/);
    assert.throws(() => prCurve([0.1, 0.2], [true]), /positives has 1 entries, expected 2/);
    assert.throws(() => rocAuc(rankScores([0.1]), [true], [1, 1]), /weights has 2 entries, expected 1/);
  });
});

describe('one-vs-rest analysis', () => {
  it('computes each class against the rest and the macro means', () => {
    // Class 0 scores rank its items perfectly (AUC 1); class 1 is constant (AUC 0.5); class 2 is absent.
    const probs = [
      [0.9, 0.1, 0],
      [0.8, 0.1, 0.1],
      [0.2, 0.1, 0.7],
      [0.1, 0.1, 0.8],
    ];
    const result = oneVsRest(probs, [0, 0, 1, 1], ['a', 'b', 'c']);
    assert.deepEqual(result.perClass.map((c) => c.positives), [2, 2, 0]);
    assert.deepEqual(result.perClass.map((c) => c.roc.auc).slice(0, 2), [1, 0.5]);
    assert.ok(Number.isNaN(result.perClass[2].roc.auc));
    // Macro over the defined classes only: AUC (1 + 0.5) / 2, AP (1 + 2/4) / 2.
    assert.equal(result.macroAuc, 0.75);
    assert.equal(result.macroAveragePrecision, 0.75);
  });

  it('rejects rows of the wrong width', () => {
    assert.throws(() => oneVsRest([[0.5, 0.5]], [0], ['a', 'b', 'c']), /probs row 0 has 2 entries, expected 3/);
  });
});

describe('operating points', () => {
  it('picks the highest threshold reaching a sensitivity and the lowest reaching a specificity', () => {
    // From the ROC points of the tied example: sensitivity >= 0.6 first at 0.7 (tp 3, fp 3);
    // sensitivity 1 first at 0.3 (fp 4); specificity >= 0.8 last at 0.8 (fp 1); specificity 1 at 0.9.
    const [sens60, sens100, spec80, spec100] = operatingPoints(TIED_SCORES, TIED_POSITIVES, [
      { sensitivity: 0.6 },
      { sensitivity: 1 },
      { specificity: 0.8 },
      { specificity: 1 },
    ]);
    assert.deepEqual(sens60, {
      target: { sensitivity: 0.6 },
      threshold: 0.7,
      tp: 3,
      fp: 3,
      tn: 2,
      fn: 2,
      sensitivity: 3 / 5,
      specificity: 2 / 5,
      precision: 1 / 2,
      npv: 1 / 2,
    });
    assert.equal(sens100?.threshold, 0.3);
    assert.equal(sens100?.specificity, 1 / 5);
    assert.equal(spec80?.threshold, 0.8);
    assert.equal(spec80?.sensitivity, 2 / 5);
    assert.equal(spec100?.threshold, 0.9);
    assert.equal(spec100?.fp, 0);
  });

  it('reaches 95% sensitivity with 19 of 20 positives despite floating-point rounding', () => {
    const scores = Array.from({ length: 40 }, (_, i) => i / 40);
    const positives = scores.map((_, i) => i >= 20);
    positives[20] = false;
    positives[0] = true;
    // Positives: item 0 and 21..39 (20). 95% = 19 positives: threshold 21/40 catches 21..39 and no negative.
    const [point] = operatingPoints(scores, positives, [{ sensitivity: 0.95 }]);
    assert.equal(point?.threshold, 21 / 40);
    assert.equal(point?.tp, 19);
    assert.equal(point?.fp, 0);
  });

  it('returns +Infinity when only calling nothing positive reaches the specificity', () => {
    const [point] = operatingPoints([0.9, 0.1], [false, true], [{ specificity: 1 }]);
    assert.equal(point?.threshold, Infinity);
    assert.equal(point?.tp, 0);
    assert.ok(Number.isNaN(point?.precision), 'precision is undefined when nothing is called positive');
  });

  it('returns null for targets that are undefined for the labels', () => {
    assert.deepEqual(operatingPoints([0.2, 0.4], [false, false], [{ sensitivity: 0.9 }, { specificity: 0.9 }]).map((p) => p === null), [true, false]);
    assert.deepEqual(operatingPoints([0.2, 0.4], [true, true], [{ sensitivity: 0.9 }, { specificity: 0.9 }]).map((p) => p === null), [false, true]);
  });

  it('applies a fixed threshold to other data', () => {
    assert.deepEqual(metricsAtThreshold(TIED_SCORES, TIED_POSITIVES, 0.7), {
      threshold: 0.7,
      tp: 3,
      fp: 3,
      tn: 2,
      fn: 2,
      sensitivity: 3 / 5,
      specificity: 2 / 5,
      precision: 1 / 2,
      npv: 1 / 2,
    });
  });

  it('rejects malformed targets', () => {
    assert.throws(() => operatingPoints([0.1], [true], [{ sensitivity: 1.5 }]), /target 0 must be in \[0, 1\], got 1.5/);
    assert.throws(
      () => operatingPoints([0.1], [true], [{ sensitivity: 0.5, specificity: 0.5 } as never]),
      /exactly one of sensitivity, specificity/,
    );
    assert.throws(() => metricsAtThreshold([0.1], [true], NaN), /threshold must be a number/);
  });
});
