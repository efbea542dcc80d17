import * as assert from 'node:assert/strict';
import { classificationMetrics, confusionMatrix, metricsFromConfusion } from '../../../src/ml/metrics';

const CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'];
// 25 items whose confusion matrix is [[5, 2, 1], [1, 6, 2], [0, 1, 7]].
const Y_TRUE = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2];
const Y_PRED = [0, 0, 0, 0, 0, 1, 1, 2, 0, 1, 1, 1, 1, 1, 1, 2, 2, 1, 2, 2, 2, 2, 2, 2, 2];

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

describe('confusion matrix and classification metrics', () => {
  it('counts rows = true class, columns = predicted class', () => {
    assert.deepEqual(confusionMatrix(Y_TRUE, Y_PRED, 3), [[5, 2, 1], [1, 6, 2], [0, 1, 7]]);
  });

  it('sums weights instead of counts when given', () => {
    assert.deepEqual(confusionMatrix([0, 1, 1], [0, 0, 1], 2, [2, 0, 3]), [[2, 0], [0, 3]]);
  });

  it('matches hand-computed values on a 3x3 matrix', () => {
    // Reference: pure-Python fractions from the definitions (per-class counts over the 25 labels; MCC as the
    // Pearson correlation of the one-hot label and prediction matrices, Gorodkin 2004; kappa = (po-pe)/(1-pe)).
    const m = classificationMetrics(Y_TRUE, Y_PRED, CLASSES);
    const expected = [
      { sensitivity: 5 / 8, specificity: 16 / 17, precision: 5 / 6, npv: 16 / 19, f1: 5 / 7, support: 8 },
      { sensitivity: 2 / 3, specificity: 13 / 16, precision: 2 / 3, npv: 13 / 16, f1: 2 / 3, support: 9 },
      { sensitivity: 7 / 8, specificity: 14 / 17, precision: 7 / 10, npv: 14 / 15, f1: 7 / 9, support: 8 },
    ];
    m.perClass.forEach((c, k) => {
      assert.equal(c.class, CLASSES[k]);
      for (const [key, value] of Object.entries(expected[k])) {
        assertClose(c[key as keyof typeof expected[number]], value, `${CLASSES[k]} ${key}`);
      }
    });
    assertClose(m.accuracy, 18 / 25, 'accuracy');
    assertClose(m.balancedAccuracy, 13 / 18, 'balanced accuracy');
    assertClose(m.macroF1, 136 / 189, 'macro F1');
    assertClose(m.mcc, 0.5849790269022774, 'MCC');
    assertClose(m.kappa, 241 / 416, 'kappa');
  });

  it('gives the binary MCC of the scikit-learn documentation example', () => {
    // sklearn.metrics.matthews_corrcoef([+1, +1, +1, -1], [+1, -1, +1, +1]) == -0.33 (docstring); exactly -1/3.
    assertClose(classificationMetrics([1, 1, 1, 0], [1, 0, 1, 1], ['neg', 'pos']).mcc, -1 / 3, 'MCC');
  });

  it('scores a perfect classifier as 1 everywhere', () => {
    const m = classificationMetrics([0, 1, 2, 2], [0, 1, 2, 2], CLASSES);
    assert.deepEqual([m.accuracy, m.balancedAccuracy, m.macroF1, m.mcc, m.kappa], [1, 1, 1, 1, 1]);
  });

  it('makes metrics of a class with no items NaN and leaves it out of macro averages', () => {
    // PNEUMONIA has no items and is never predicted.
    const m = classificationMetrics([0, 0, 1, 1], [0, 1, 1, 1], CLASSES);
    const pneumonia = m.perClass[2];
    assert.equal(pneumonia.support, 0);
    assert.ok(Number.isNaN(pneumonia.sensitivity) && Number.isNaN(pneumonia.precision) && Number.isNaN(pneumonia.f1));
    assert.equal(pneumonia.specificity, 1);
    // Balanced accuracy over COVID (1/2) and NORMAL (1); macro F1 over COVID (2/3) and NORMAL (4/5).
    assertClose(m.balancedAccuracy, 3 / 4, 'balanced accuracy');
    assertClose(m.macroF1, (2 / 3 + 4 / 5) / 2, 'macro F1');
  });

  it('makes MCC and kappa NaN when every prediction is one class and labels are too', () => {
    const m = classificationMetrics([1, 1, 1], [1, 1, 1], CLASSES);
    assert.ok(Number.isNaN(m.mcc), 'MCC is 0/0');
    assert.ok(Number.isNaN(m.kappa), 'kappa has chance agreement 1');
    assert.equal(m.accuracy, 1);
  });

  it('makes MCC NaN when predictions are constant but labels are not', () => {
    assert.ok(Number.isNaN(classificationMetrics([0, 1, 2], [1, 1, 1], CLASSES).mcc));
  });

  it('rejects bad input with a message', () => {
    assert.throws(() => confusionMatrix([0, 1], [0], 2), /yPred has 1 entries, expected 2/);
    assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), /yTrue\[1\] must be a class index in 0..2, got 3/);
    assert.throws(() => confusionMatrix([0, 1], [0, 0.5], 2), /yPred\[1\]/);
    assert.throws(() => confusionMatrix([0], [0], 0), /number of classes/);
    assert.throws(() => confusionMatrix([0], [0], 1, [-1]), /weights\[0\] must be finite and >= 0/);
    assert.throws(() => metricsFromConfusion([[1, 2]], ['a']), /confusion row 0 has 2 entries, expected 1/);
  });
});
