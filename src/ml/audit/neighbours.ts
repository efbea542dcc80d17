/**
 * One pass over all pairs of items in the principal-component space: each item's nearest neighbours (for
 * leave-one-out k-NN class probabilities) and the pairs whose full-space cosine reaches a threshold (for
 * near-duplicates). O(n² · components): 10,000 items × 64 components is about 3·10⁹ multiply-adds.
 */
import { dot } from '../dense';
import type { FeatureMatrix, Projection } from './matrix';

const BLOCK = 64;

export interface NeighbourSearch {
  /** `n × k` item indices, most similar first (cosine in the component space). */
  neighbours: Int32Array;
  k: number;
  /** Pairs (a < b) whose cosine of the mean-centred full feature vectors is at least `minCosine`. */
  pairs: SimilarPair[];
}

export interface SimilarPair {
  a: number;
  b: number;
  cosine: number;
}

/**
 * `features` are the full vectors the projection was made from. A pair is checked in full only when its
 * projected unit vectors are close enough: an orthonormal projection never lengthens ‖u − v‖, and
 * ‖u − v‖² = 2 − 2·cos, so no pair at or above `minCosine` is missed.
 */
export function searchNeighbours(features: FeatureMatrix, projection: Projection, k: number, minCosine: number): NeighbourSearch {
  const { rows: n, cols: m, data: scores } = projection.scores;
  if (features.rows !== n) throw new RangeError(`features has ${features.rows} rows, the projection ${n}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const kk = Math.min(k, n - 1);
  const p = Float64Array.from(scores);
  const projectedNorms = new Float64Array(n);
  for (let i = 0; i < n; i++) projectedNorms[i] = Math.sqrt(dot(p, i * m, p, i * m, m));
  const bound = 2 - 2 * minCosine;

  const neighbours = new Int32Array(n * kk).fill(-1);
  const best = new Float64Array(n * kk).fill(-Infinity);
  const candidates: [number, number][] = [];
  // Rows in blocks of BLOCK, each block compared with every later row: the block stays in cache while the
  // other rows stream past once per block instead of once per row.
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(start + BLOCK, n);
    for (let j = start + 1; j < n; j++) {
      const pj = projectedNorms[j];
      const nj = projection.norms[j];
      for (let i = start; i < Math.min(end, j); i++) {
        const raw = dot(p, i * m, p, j * m, m);
        const pi = projectedNorms[i];
        const similarity = pi > 0 && pj > 0 ? raw / (pi * pj) : 0;
        insert(neighbours, best, i, kk, j, similarity);
        insert(neighbours, best, j, kk, i, similarity);
        const ni = projection.norms[i];
        if (ni === 0 || nj === 0) continue;
        const distance = (pi * pi) / (ni * ni) + (pj * pj) / (nj * nj) - (2 * raw) / (ni * nj);
        if (distance <= bound + 1e-9) candidates.push([i, j]);
      }
    }
  }
  candidates.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const pairs: SimilarPair[] = [];
  for (const [a, b] of candidates) {
    const cosine = fullCosine(features, projection, a, b);
    if (cosine >= minCosine) pairs.push({ a, b, cosine });
  }
  return { neighbours, k: kk, pairs };
}

/** Cosine of the two mean-centred full feature vectors. */
export function fullCosine(features: FeatureMatrix, projection: Projection, a: number, b: number): number {
  const d = features.cols;
  const { data } = features;
  const { mean, norms } = projection;
  if (norms[a] === 0 || norms[b] === 0) return 0;
  let sum = 0;
  for (let c = 0; c < d; c++) sum += (data[a * d + c] - mean[c]) * (data[b * d + c] - mean[c]);
  return sum / (norms[a] * norms[b]);
}

/**
 * Leave-one-out k-NN class probabilities: the labels of each item's neighbours (never itself; unlabelled
 * ones, label -1, do not vote), with half a count of every class added so that no probability is 0.
 */
export function knnProbabilities(search: NeighbourSearch, labels: readonly number[], numClasses: number): number[][] {
  return labels.map((_, i) => {
    const counts = new Array<number>(numClasses).fill(0.5);
    for (let t = 0; t < search.k; t++) {
      const j = search.neighbours[i * search.k + t];
      if (j >= 0 && labels[j] >= 0) counts[labels[j]]++;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  });
}

/** Keeps row i's list sorted by similarity, most similar first. */
function insert(neighbours: Int32Array, best: Float64Array, i: number, k: number, j: number, similarity: number): void {
  const base = i * k;
  if (similarity <= best[base + k - 1]) return;
  let t = k - 1;
  while (t > 0 && best[base + t - 1] < similarity) {
    best[base + t] = best[base + t - 1];
    neighbours[base + t] = neighbours[base + t - 1];
    t--;
  }
  best[base + t] = similarity;
  neighbours[base + t] = j;
}
