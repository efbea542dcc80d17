/**
 * The 2-D map of a set of embeddings: unit rows, PCA to `components` dimensions, then UMAP (umap-js) seeded so the
 * same input gives the same map. Above `fitSample` rows UMAP is fitted on a seeded sample and every other row is
 * placed at the inverse-distance-weighted mean of its nearest fitted rows in the leading principal components
 * (umap-js's `transform` costs ~1 ms per row here: 6.5 minutes for 400,000). Pure inputs and outputs, no globals:
 * callable from a worker thread (the result's arrays are transferable).
 */
import { UMAP } from 'umap-js';
import { seededRandom } from '../splits';
import { fitProjection, projectRows } from '../similarity/projection';
import { TopK } from '../similarity/topK';
import { dotAt, selectVectors, unitRows } from '../similarity/vectors';
import type { VectorTable } from '../similarity/vectors';

export interface MapConfig {
  /** Principal components UMAP runs on. Default 50. */
  components: number;
  /** UMAP's neighbourhood size. Default 15. */
  nNeighbors: number;
  /** UMAP's minimum distance between placed points. Default 0.1. */
  minDist: number;
  /** At most this many rows are fitted by UMAP; the rest are placed by their nearest fitted rows. Default 5,000. */
  fitSample: number;
  /** Fitted rows a placed row is averaged from. Default 5. */
  placeNeighbours: number;
  /** Leading principal components the placement's neighbour search uses. Default 16. */
  placeComponents: number;
  /** Seed of the PCA, the sample and UMAP. Default 42. */
  seed: number;
}

export const DEFAULT_MAP_CONFIG: MapConfig = { components: 50, nNeighbors: 15, minDist: 0.1, fitSample: 5000, placeNeighbours: 5, placeComponents: 16, seed: 42 };

export interface MapResult {
  /** Per input row. */
  x: Float32Array;
  y: Float32Array;
  /** How many rows UMAP fitted (the rest were placed). */
  fitted: number;
}

export function computeMap(vectors: VectorTable, config: Partial<MapConfig> = {}): MapResult {
  const c = { ...DEFAULT_MAP_CONFIG, ...config };
  const n = vectors.rows;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  if (n === 0) return { x, y, fitted: 0 };
  const unit = unitRows(vectors);
  const projected = projectRows(fitProjection(unit, Math.min(c.components, vectors.cols), c.seed), unit);
  // UMAP needs more rows than neighbours; so few rows are drawn on their first two principal components.
  if (n <= 3) {
    for (let r = 0; r < n; r++) [x[r], y[r]] = [projected.data[r * projected.cols], projected.cols > 1 ? projected.data[r * projected.cols + 1] : 0];
    return { x, y, fitted: n };
  }
  const random = seededRandom(c.seed);
  const sample = n <= c.fitSample ? Array.from({ length: n }, (_, i) => i) : sampleIndices(n, c.fitSample, random);
  const fitRows = Array.from({ length: sample.length }, (_, i) => Array.from(projected.data.subarray(sample[i] * projected.cols, (sample[i] + 1) * projected.cols)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(c.nNeighbors, sample.length - 1), minDist: c.minDist, random });
  const embedding = umap.fit(fitRows);
  sample.forEach((r, i) => ([x[r], y[r]] = embedding[i]));
  if (sample.length < n) placeRest(projected, sample, x, y, c);
  return { x, y, fitted: sample.length };
}

/** `count` distinct rows of `n` in increasing order, by a seeded partial Fisher-Yates shuffle. */
function sampleIndices(n: number, count: number, random: () => number): number[] {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return Array.from(all.subarray(0, count)).sort((a, b) => a - b);
}

/** Places every row not in `sample` at the weighted mean of its nearest sample rows (Euclidean, leading components). */
function placeRest(projected: VectorTable, sample: number[], x: Float32Array, y: Float32Array, c: MapConfig): void {
  const m = Math.min(c.placeComponents, projected.cols);
  const lead = (rows: readonly number[]): VectorTable => {
    const full = selectVectors(projected, rows);
    const data = new Float32Array(rows.length * m);
    for (let i = 0; i < rows.length; i++) data.set(full.data.subarray(i * projected.cols, i * projected.cols + m), i * m);
    return { data, rows: rows.length, cols: m };
  };
  const anchors = lead(sample);
  const anchorNorms = Float32Array.from({ length: anchors.rows }, (_, a) => dotAt(anchors.data, a * m, anchors.data, a * m, m));
  const inSample = new Uint8Array(projected.rows);
  for (const r of sample) inSample[r] = 1;
  const rest = Array.from({ length: projected.rows }, (_, r) => r).filter((r) => !inSample[r]);
  const points = lead(rest);
  const k = Math.min(c.placeNeighbours, anchors.rows);
  rest.forEach((r, i) => {
    // Ranking by 2·p·a − |a|² is ranking by −|p − a|²; |p|² is added back for the distances.
    const top = new TopK(k);
    for (let a = 0; a < anchors.rows; a++) top.push(a, 2 * dotAt(points.data, i * m, anchors.data, a * m, m) - anchorNorms[a]);
    const pointNorm = dotAt(points.data, i * m, points.data, i * m, m);
    let [sx, sy, sw] = [0, 0, 0];
    for (const { index, score } of top.sorted()) {
      const w = 1 / (Math.sqrt(Math.max(pointNorm - score, 0)) + 1e-6);
      sx += w * x[sample[index]];
      sy += w * y[sample[index]];
      sw += w;
    }
    x[r] = sx / sw;
    y[r] = sy / sw;
  });
}
