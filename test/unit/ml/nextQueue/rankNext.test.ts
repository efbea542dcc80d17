import * as assert from 'node:assert/strict';
import { kCenterGreedy } from '../../../../src/ml/nextQueue/kCenter';
import { rankNext } from '../../../../src/ml/nextQueue/rankNext';
import { findingsUncertainty, uncertainty } from '../../../../src/ml/nextQueue/uncertainty';
import type { VectorTable } from '../../../../src/ml/similarity/vectors';

/** Points of the plane as a table (row order as given). */
function plane(points: [number, number][]): VectorTable {
  return { data: Float32Array.from(points.flat()), rows: points.length, cols: 2 };
}

describe('next queue: uncertainty', () => {
  it('is entropy over ln(classes), or one minus the margin', () => {
    assert.equal(uncertainty([0.5, 0.5]), 1);
    assert.equal(uncertainty([1, 0]), 0);
    // −(0.9 ln 0.9 + 0.1 ln 0.1) / ln 2 = (0.0948 + 0.2303) / 0.6931
    assert.ok(Math.abs(uncertainty([0.9, 0.1]) - 0.469) < 1e-3);
    // −(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) / ln 3 = (0.2497 + 0.3219 + 0.2303) / 1.0986
    assert.ok(Math.abs(uncertainty([0.7, 0.2, 0.1]) - 0.7298) < 1e-3);
    assert.ok(Math.abs(uncertainty([0.1, 0.7, 0.2], 'margin') - 0.5) < 1e-12);
    assert.throws(() => uncertainty([1]), /at least two/);
  });

  it('is the mean over findings of each finding\'s own uncertainty for a multi-label model', () => {
    assert.equal(findingsUncertainty([0.5, 0.5]), 1);
    assert.equal(findingsUncertainty([1, 0, 0]), 0);
    // (1 + 0.469) / 2: one finding at 50/50, one at 90/10.
    assert.ok(Math.abs(findingsUncertainty([0.5, 0.9]) - 0.7345) < 1e-3);
    assert.ok(Math.abs(findingsUncertainty([0.5, 0.9], 'margin') - 0.6) < 1e-12);
    // The row unsure of two findings comes before the row unsure of one.
    const ranked = rankNext('uncertainty', { candidates: [0, 1, 2], labelled: [], probs: [[0.5, 0.01], [0.4, 0.6], [0.99, 0.01]], multiLabel: true }, 3);
    assert.deepEqual(ranked.map((r) => r.row), [1, 0, 2]);
    assert.throws(() => findingsUncertainty([]), /at least one/);
  });

  it('queues the most uncertain candidates first and leaves out unscored ones', () => {
    const probs = [[0.9, 0.1], [0.5, 0.5], null, [0.7, 0.3], [0.99, 0.01], [0.6, 0.4]];
    const ranked = rankNext('uncertainty', { candidates: [0, 1, 2, 3, 4], labelled: [5], probs }, 10);
    // Entropies (bits, two classes): row 1: 1, row 3: 0.881, row 0: 0.469, row 4: 0.081; row 2 has no prediction, row 5 is labelled.
    assert.deepEqual(ranked.map((r) => r.row), [1, 3, 0, 4]);
    assert.ok(Math.abs(ranked[1].score - 0.8813) < 1e-3);
    assert.deepEqual(rankNext('uncertainty', { candidates: [0, 1, 2, 3, 4], labelled: [], probs }, 2).map((r) => r.row), [1, 3]);
  });
});

describe('next queue: k-center greedy', () => {
  it('takes the candidate farthest from the labelled and earlier picks, as worked by hand', () => {
    // Labelled: the origin (row 0). Candidates on the x axis: A=1, B=2, C=10, D=5.
    // Pick C (10 from the origin); then D (min(5, 5) = 5); then B (min(2, 3) = 2); then A (1).
    const table = plane([[0, 0], [1, 0], [2, 0], [10, 0], [5, 0]]);
    const picks = kCenterGreedy(table, [1, 2, 3, 4], [0], 4);
    assert.deepEqual(picks, [
      { row: 3, distance: 10 },
      { row: 4, distance: 5 },
      { row: 2, distance: 2 },
      { row: 1, distance: 1 },
    ]);
  });

  it('starts from the candidate nearest the mean when nothing is labelled', () => {
    // Mean of 0, 1, 2, 10 is 3.25: start at 2 (1.25 away), then 10 (8 from 2), then 0 (2), then 1 (1).
    const picks = kCenterGreedy(plane([[0, 0], [1, 0], [2, 0], [10, 0]]), [0, 1, 2, 3], [], 3);
    assert.deepEqual(picks, [
      { row: 2, distance: 1.25 },
      { row: 3, distance: 8 },
      { row: 0, distance: 2 },
    ]);
  });

  it('ranks diversity and mixed by distance in the unit embedding space', () => {
    // Directions: labelled along 0°; candidates at 10° (most uncertain), 60° (second), 170° (certain).
    const deg = (a: number): [number, number] => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
    const vectors = plane([deg(0), deg(10), deg(60), deg(170)].map(([x, y], i) => [x * (i + 1), y * (i + 1)] as [number, number]));
    const probs = [null, [0.5, 0.5], [0.6, 0.4], [0.99, 0.01]];
    const input = { vectors, candidates: [1, 2, 3], labelled: [0], probs };
    assert.deepEqual(rankNext('diversity', input, 1).map((r) => r.row), [3]);
    // With a pool of 2 × k, mixed sees only rows 1 and 2 (the most uncertain) and takes the one farther from row 0.
    assert.deepEqual(rankNext('mixed', input, 1, { mixedPoolFactor: 2 }).map((r) => r.row), [2]);
    assert.deepEqual(rankNext('uncertainty', input, 1).map((r) => r.row), [1]);
    // Unit rows: the distance of 60° to 0° is √(2 − 2 cos 60°) = 1, whatever the vector lengths.
    assert.ok(Math.abs(rankNext('mixed', input, 1, { mixedPoolFactor: 2 })[0].score - 1) < 1e-6);
    assert.throws(() => rankNext('diversity', { candidates: [0], labelled: [] }, 1), /needs the embeddings/);
    assert.throws(() => rankNext('mixed', { vectors, candidates: [0], labelled: [] }, 1), /predictions/);
  });
});
