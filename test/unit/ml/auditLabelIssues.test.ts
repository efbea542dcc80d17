import * as assert from 'node:assert/strict';
import { findLabelIssues } from '../../../src/ml/audit/labelIssues';
import { principalComponents, type FeatureMatrix } from '../../../src/ml/audit/matrix';
import { crossValidatedProbabilities, fitSoftmax, predictSoftmax } from '../../../src/ml/audit/softmaxRegression';
import { seededRandom } from '../../../src/ml/splits';

/** `perClass` points around each of `k` well-separated centres in `dim` dimensions, seeded. */
function clusters(k: number, perClass: number, dim: number, spread: number, seed: number): { x: FeatureMatrix; labels: number[] } {
  const random = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => 3 * gauss()));
  const labels: number[] = [];
  const data = new Float32Array(k * perClass * dim);
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < perClass; p++) {
      const row = labels.length;
      for (let d = 0; d < dim; d++) data[row * dim + d] = centres[c][d] + spread * gauss();
      labels.push(c);
    }
  }
  return { x: { data, rows: labels.length, cols: dim }, labels };
}

function accuracy(probabilities: readonly (readonly number[])[], labels: readonly number[]): number {
  const hits = probabilities.filter((row, i) => row.indexOf(Math.max(...row)) === labels[i]).length;
  return hits / labels.length;
}

describe('audit: confident learning', () => {
  it('computes thresholds, the confident joint and the noise matrix of a hand-made case', () => {
    // Items 0-3 labelled 0, items 4-7 labelled 1; item 3 looks like class 1, item 7 is unsure.
    const probabilities = [
      [0.9, 0.1],
      [0.8, 0.2],
      [0.7, 0.3],
      [0.2, 0.8],
      [0.1, 0.9],
      [0.3, 0.7],
      [0.2, 0.8],
      [0.5, 0.5],
    ];
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const result = findLabelIssues(probabilities, labels);
    // t_0 = mean p0 over label 0 = (0.9 + 0.8 + 0.7 + 0.2) / 4; t_1 = (0.9 + 0.7 + 0.8 + 0.5) / 4.
    assert.deepEqual(result.thresholds.map((t) => Number(t.toFixed(4))), [0.65, 0.725]);
    // Label 0: items 0-2 confidently 0, item 3 confidently 1. Label 1: items 4 and 6 confidently 1; 5 and 7
    // reach no threshold.
    assert.deepEqual(result.confidentJoint, [
      [3, 1],
      [0, 2],
    ]);
    // Calibrated rows: [3, 1] (already 4 items), [0, 2] scaled to [0, 4]; joint = / 8. Noise matrix columns sum to 1.
    assert.deepEqual(result.joint, [
      [3 / 8, 1 / 8],
      [0, 4 / 8],
    ]);
    assert.deepEqual(result.noiseMatrix, [
      [1, 1 / 5],
      [0, 4 / 5],
    ]);
    assert.deepEqual(
      result.issues.map((i) => [i.index, i.givenLabel, i.suggestedLabel]),
      [[3, 0, 1]],
    );
    assert.equal(result.issues[0].selfConfidence, 0.2);
    assert.ok(Math.abs(result.issues[0].margin - 0.6) < 1e-12);
    assert.deepEqual(result.scores.map((s) => Number(s.toFixed(2))), [0.1, 0.2, 0.3, 0.8, 0.1, 0.3, 0.2, 0.5]);
  });

  it('flags nothing when every item is confidently its given label', () => {
    const result = findLabelIssues(
      [
        [0.9, 0.05, 0.05],
        [0.1, 0.8, 0.1],
        [0.05, 0.05, 0.9],
      ],
      [0, 1, 2],
    );
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.noiseMatrix, [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('rejects malformed input with a clear error', () => {
    assert.throws(() => findLabelIssues([[0.5, 0.5]], [0, 1]), /1 rows but labels has 2/);
    assert.throws(() => findLabelIssues([[0.5, 0.6]], [0]), /sums to 1.1/);
    assert.throws(() => findLabelIssues([[0.5, 0.5]], [2]), /class index in 0..1/);
    assert.throws(() => findLabelIssues([[1]], [0]), /at least 2 classes/);
  });

  it('ranks ≥ 80% of seeded label flips in the top 2× on out-of-fold probabilities of synthetic clusters', async () => {
    // Overlapping clusters, so that the model is not perfect and the ranking has something to get wrong.
    const { x, labels } = clusters(3, 200, 20, 4, 11);
    const random = seededRandom(5);
    const noisy = labels.slice();
    const flipped = new Set<number>();
    while (flipped.size < 30) {
      const i = Math.floor(random() * labels.length);
      if (flipped.has(i)) continue;
      flipped.add(i);
      noisy[i] = (labels[i] + 1 + Math.floor(random() * 2)) % 3;
    }
    const probabilities = await crossValidatedProbabilities(x, noisy, 3, { seed: 1 });
    const result = findLabelIssues(probabilities, noisy);
    const ranked = result.scores.map((score, i) => ({ score, i })).sort((a, b) => b.score - a.score);
    const top = ranked.slice(0, 2 * flipped.size).filter((r) => flipped.has(r.i)).length;
    assert.ok(top / flipped.size >= 0.8, `recall in the top 2× was ${top}/${flipped.size}`);
    const suggestedRight = result.issues.filter((issue) => flipped.has(issue.index) && issue.suggestedLabel === labels[issue.index]).length;
    assert.ok(suggestedRight >= 0.7 * flipped.size, `right suggestions: ${suggestedRight}`);
  });
});

describe('audit: softmax regression', () => {
  it('separates separable clusters and is deterministic', async () => {
    const { x, labels } = clusters(4, 60, 10, 0.5, 3);
    const first = await crossValidatedProbabilities(x, labels, 4, { seed: 2 });
    const second = await crossValidatedProbabilities(x, labels, 4, { seed: 2 });
    assert.ok(accuracy(first, labels) >= 0.98, `accuracy ${accuracy(first, labels)}`);
    assert.deepEqual(first, second);
    for (const row of first) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('learns a linear rule exactly enough on its training rows and honours sample weights', () => {
    const { x, labels } = clusters(2, 50, 5, 1, 8);
    const rows = labels.map((_, i) => i);
    const model = fitSoftmax(x, rows, labels, 2);
    assert.ok(accuracy(predictSoftmax(model, x, rows), labels) >= 0.98);
    // Weight 0 on class 1: the model then calls everything class 0.
    const weighted = fitSoftmax(x, rows, labels, 2, { sampleWeights: labels.map((l) => (l === 0 ? 1 : 0)) });
    assert.ok(predictSoftmax(weighted, x, rows).every((p) => p[0] > p[1]));
  });

  it('rejects bad input', () => {
    const x: FeatureMatrix = { data: new Float32Array(6), rows: 3, cols: 2 };
    assert.throws(() => fitSoftmax(x, [0, 1], [0, 1], 2), /labels has 2 entries, features has 3 rows/);
    assert.throws(() => fitSoftmax(x, [0, 5], [0, 1, 0], 2), /row 5 outside 0..2/);
    assert.throws(() => fitSoftmax(x, [0, 1], [0, 3, 0], 2), /label of row 1 must be in 0..1/);
    assert.throws(() => fitSoftmax({ data: new Float32Array([0, NaN]), rows: 1, cols: 2 }, [0], [0], 2), /non-finite/);
  });
});

describe('audit: principal components', () => {
  it('finds the dominant axis and preserves the centred norms', () => {
    // Points spread along (1, 1, 0, ...) / √2 with little noise elsewhere.
    const random = seededRandom(4);
    const n = 300;
    const d = 8;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const t = 10 * (random() - 0.5);
      for (let c = 0; c < d; c++) data[i * d + c] = 0.01 * (random() - 0.5);
      data[i * d] += t / Math.SQRT2 + 5;
      data[i * d + 1] += t / Math.SQRT2;
    }
    const projection = principalComponents({ data, rows: n, cols: d }, 2, 0);
    assert.equal(projection.scores.cols, 2);
    for (let i = 0; i < n; i++) {
      const first = projection.scores.data[i * 2];
      // Nearly all of each centred row lies on the first component.
      assert.ok(Math.abs(Math.abs(first) - projection.norms[i]) < 0.02, `row ${i}: ${first} vs ${projection.norms[i]}`);
    }
    assert.ok(Math.abs(projection.mean[0] - 5) < 0.5);
  });
});
