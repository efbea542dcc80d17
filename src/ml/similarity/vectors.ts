/** Row-major float32 vector tables, as the similarity index, the map and the active-learning queue share them. */

export interface VectorTable {
  /** `rows × cols` values, row-major, in one contiguous array. */
  data: Float32Array;
  rows: number;
  cols: number;
  /** Every row has unit length or is zero (set by `normaliseRows`), so `unitRows` need not copy 2 GB at 400,000 rows. */
  unit?: boolean;
}

/**
 * Every row scaled to unit length (a zero row stays zero), so a dot product is the cosine: into a new array, or
 * into `out` (which may be `data` itself, to normalise in place).
 */
export function normaliseRows(data: ArrayLike<number>, rows: number, cols: number, out = new Float32Array(rows * cols)): VectorTable {
  if (data.length !== rows * cols) throw new RangeError(`vector table holds ${data.length} values, expected ${rows} × ${cols}`);
  if (out.length !== rows * cols) throw new RangeError(`output holds ${out.length} values, expected ${rows} × ${cols}`);
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const v = data[offset + c];
      if (!Number.isFinite(v)) throw new RangeError(`vector row ${r} holds a non-finite value`);
      sum += v * v;
    }
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let c = 0; c < cols; c++) out[offset + c] = data[offset + c] * scale;
  }
  return { data: out, rows, cols, unit: true };
}

/** The table's rows at unit length: the table itself when it is already so, else a normalised copy. */
export function unitRows(table: VectorTable): VectorTable {
  return table.unit ? table : normaliseRows(table.data, table.rows, table.cols);
}

/** The dense head's dot product (four accumulators), under the name the similarity code uses. */
export { dot as dotAt } from '../dense';

/** The rows `indices` of a table, in that order, as a new table. */
export function selectVectors(table: VectorTable, indices: readonly number[]): VectorTable {
  const data = new Float32Array(indices.length * table.cols);
  indices.forEach((r, i) => data.set(table.data.subarray(r * table.cols, (r + 1) * table.cols), i * table.cols));
  return { data, rows: indices.length, cols: table.cols, unit: table.unit };
}
