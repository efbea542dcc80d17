/**
 * A principal-component projection of unit rows, for scans that cannot afford the full dimension: the axes come
 * from the audit's randomized PCA (`principalAxes`, fitted on at most 1,000 seeded rows), and rows are projected
 * in float32 so the projected table is one contiguous array.
 */
import { principalAxes } from '../audit/matrix';
import { dotAt } from './vectors';
import type { VectorTable } from './vectors';

export interface Projection {
  /** `components × cols` unit axes, largest variance first. */
  axes: Float32Array;
  /** Per axis: mean·axis, so a centred row's coordinate is row·axis − offset. */
  offsets: Float64Array;
  /** The column means the axes centre by. */
  mean: Float32Array;
  components: number;
  cols: number;
}

export function fitProjection(table: VectorTable, components: number, seed: number): Projection {
  const { axes, mean } = principalAxes(table, components, seed);
  const cols = table.cols;
  const flat = new Float32Array(axes.length * cols);
  axes.forEach((axis, a) => flat.set(axis, a * cols));
  const mean32 = Float32Array.from(mean);
  const offsets = Float64Array.from(axes, (_, a) => dotAt(flat, a * cols, mean32, 0, cols));
  return { axes: flat, offsets, mean: mean32, components: axes.length, cols };
}

/** Row `r` of `table` projected into `out` from `outOffset`. */
export function projectRow(projection: Projection, table: VectorTable, r: number, out: Float32Array, outOffset: number): void {
  const { axes, offsets, components, cols } = projection;
  for (let a = 0; a < components; a++) out[outOffset + a] = dotAt(table.data, r * cols, axes, a * cols, cols) - offsets[a];
}

/** Every row projected: `rows × components`. */
export function projectRows(projection: Projection, table: VectorTable): VectorTable {
  if (table.cols !== projection.cols) throw new RangeError(`rows have ${table.cols} values, the projection ${projection.cols}`);
  const data = new Float32Array(table.rows * projection.components);
  for (let r = 0; r < table.rows; r++) projectRow(projection, table, r, data, r * projection.components);
  return { data, rows: table.rows, cols: projection.components };
}
