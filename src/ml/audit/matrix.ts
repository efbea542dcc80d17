/** Dense row-major feature matrices and the principal-component projection the audit works in. */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { seededRandom } from '../splits';
import { dot } from '../dense';

export interface FeatureMatrix {
  /** `rows × cols` values, row-major. */
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

export function checkMatrix(name: string, m: FeatureMatrix): void {
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 1 || m.cols < 1) {
    throw new RangeError(`${name} must have at least one row and one column, got ${m.rows} × ${m.cols}`);
  }
  if (m.data.length !== m.rows * m.cols) throw new RangeError(`${name} holds ${m.data.length} values, expected ${m.rows} × ${m.cols}`);
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) throw new RangeError(`${name} row ${Math.floor(i / m.cols)} holds a non-finite value`);
  }
}

/** A new matrix of the given rows, in that order. */
export function selectRows(m: FeatureMatrix, rows: readonly number[]): FeatureMatrix {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { data, rows: rows.length, cols: m.cols };
}

export interface Projection {
  /** Item rows projected on the components: `rows × components`. */
  scores: FeatureMatrix;
  /** Per item: the norm of its centred input row (for cosine similarities in the projected space). */
  norms: Float64Array;
  mean: Float64Array;
}

/** Rows used to estimate the components; more adds time, not accuracy, for a few hundred components. */
const MAX_SAMPLE_ROWS = 1000;
const OVERSAMPLING = 10;

/**
 * Projects the centred rows on their top `components` principal axes, found by a randomized range finder
 * (Halko, Martinsson & Tropp 2011) on at most 1,000 seeded rows. The audit's classifiers and near-duplicate
 * search run in this space: 1,280 features cost ~20× more per pass and the small components are mostly
 * noise. Unsupervised, so fitting it on all items leaks no label.
 */
export function principalComponents(input: FeatureMatrix, components: number, seed: number): Projection {
  const { axes, mean } = principalAxes(input, components, seed);
  const { rows: n, cols: d, data } = input;
  const k = axes.length;
  const scores = new Float64Array(n * k);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = centredRow(data, i, d, mean);
    norms[i] = Math.sqrt(dot(row, 0, row, 0, d));
    for (let a = 0; a < k; a++) scores[i * k + a] = dot(row, 0, axes[a], 0, d);
  }
  return { scores: { data: scores, rows: n, cols: k }, norms, mean };
}

/** The top principal axes (unit vectors of length cols, largest variance first) and the column means they centre by. */
export interface PrincipalAxes {
  axes: Float64Array[];
  mean: Float64Array;
}

/** The axes `principalComponents` projects on, without projecting: for callers that project rows themselves. */
export function principalAxes(input: FeatureMatrix, components: number, seed: number): PrincipalAxes {
  checkMatrix('features', input);
  const { rows: n, cols: d, data } = input;
  const l = Math.min(components + OVERSAMPLING, d, n);
  const k = Math.min(components, l);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] += data[i * d + c];
  for (let c = 0; c < d; c++) mean[c] /= n;

  const random = seededRandom(seed);
  const sample = sampleRows(n, Math.min(n, MAX_SAMPLE_ROWS), random);
  const centred = sample.map((row) => centredRow(data, row, d, mean));

  // Q = orth(A·Ω) spans the top directions. A power iteration sharpens them, but ranked flipped cxr labels
  // no better and doubled the cost.
  // Tall matrices are kept as lists of columns so every inner loop runs over contiguous memory. ml-matrix's
  // mmul and QR took 2.6× and 6× as long here as these loops (1,000 × 1280 sample), so only its eigensolver is used.
  const omega = Array.from({ length: l }, () => Float64Array.from({ length: d }, () => gaussian(random)));
  const q = orthonormalise(columnsOfProduct(centred, omega));
  // B = Qᵀ·A (l rows of d); the eigenvectors of B·Bᵀ give the right singular vectors V = Bᵀ·U / σ.
  const b = combineRows(centred, q, d);
  const bbt = new Matrix(l, l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      const value = dot(b[i], 0, b[j], 0, d);
      bbt.set(i, j, value);
      bbt.set(j, i, value);
    }
  }
  const eigen = new EigenvalueDecomposition(bbt, { assumeSymmetric: true });
  const values = eigen.realEigenvalues;
  const vectors = eigen.eigenvectorMatrix;
  const order = Array.from({ length: l }, (_, i) => i).sort((a, c) => values[c] - values[a]);
  const axes = order.slice(0, k).map((e) => {
    const axis = new Float64Array(d);
    const sigma = Math.sqrt(Math.max(values[e], 0));
    if (sigma < 1e-12) return axis;
    for (let i = 0; i < l; i++) axpy(vectors.get(i, e) / sigma, b[i], axis, d);
    return axis;
  });
  return { axes, mean };
}

function centredRow(data: Float32Array | Float64Array, row: number, d: number, mean: Float64Array): Float64Array {
  const out = new Float64Array(d);
  const offset = row * d;
  for (let c = 0; c < d; c++) out[c] = data[offset + c] - mean[c];
  return out;
}

function sampleRows(n: number, count: number, random: () => number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function axpy(scale: number, x: Float64Array, y: Float64Array, length: number): void {
  for (let i = 0; i < length; i++) y[i] += scale * x[i];
}

/** Columns of rows·vectorsᵀ: column j holds the dot product of every row with vector j. */
function columnsOfProduct(rows: readonly Float64Array[], vectors: readonly Float64Array[]): Float64Array[] {
  return vectors.map((vector) => Float64Array.from(rows, (row) => dot(row, 0, vector, 0, row.length)));
}

/** For each column c (one weight per row): Σ_i c[i]·rows[i], a vector of length d. */
function combineRows(rows: readonly Float64Array[], columns: readonly Float64Array[], d: number): Float64Array[] {
  return columns.map((column) => {
    const out = new Float64Array(d);
    rows.forEach((row, i) => {
      if (column[i] !== 0) axpy(column[i], row, out, d);
    });
    return out;
  });
}

/** Modified Gram-Schmidt, in place; a dependent vector becomes zero. */
function orthonormalise(vectors: Float64Array[]): Float64Array[] {
  vectors.forEach((v, j) => {
    for (let p = 0; p < j; p++) axpy(-dot(v, 0, vectors[p], 0, v.length), vectors[p], v, v.length);
    const norm = Math.sqrt(dot(v, 0, v, 0, v.length));
    for (let i = 0; i < v.length; i++) v[i] = norm > 1e-12 ? v[i] / norm : 0;
  });
  return vectors;
}
