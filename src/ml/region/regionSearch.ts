// "Find this region": the images holding something like a box drawn on one image (a burned-in "L" marker, a
// pacemaker, a ruler), wherever it sits. Whole-image embeddings mix the marker into everything else on the film;
// here the box is matched against every position of an early feature map (fine enough for a letter) by cosine, as a
// convolution on the tfjs engine. (Trying the window at 0.75× and 1.33× as well found fewer planted markers: more
// windows, more look-alikes.)
import * as tf from '@tensorflow/tfjs';
import type { RegionBox } from '../../shared/protocol';
import { throwIfCancelled } from '../jobs/jobContext';
import type { RegionMaps } from './regionFeatures';

export type { RegionBox };

export interface RegionMatch {
  /** Row of the maps. */
  row: number;
  /** Cosine between the query box's features and the best window's, in [-1, 1]. */
  similarity: number;
  /** Where the best window is, in the same fractions. */
  box: RegionBox;
}

export interface RegionSearchOptions {
  /** Matches returned, best first. Default 50. */
  k?: number;
  /** Rows per convolution: bounds the engine's memory. Default 128. */
  chunkRows?: number;
  signal?: AbortSignal;
}

/** The cells of a `grid × grid` map a box covers (at least two on each side, so a window has a shape). */
export function boxCells(box: RegionBox, grid: number): { x0: number; y0: number; w: number; h: number } {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const x0 = clamp(Math.floor(box.x * grid), 0, grid - 2);
  const y0 = clamp(Math.floor(box.y * grid), 0, grid - 2);
  const x1 = clamp(Math.ceil((box.x + box.w) * grid), x0 + 2, grid);
  const y1 = clamp(Math.ceil((box.y + box.h) * grid), y0 + 2, grid);
  return { x0, y0, w: x1 - x0, h: y1 - y0 };
}

/** Rows `[start, end)` of the maps as floats, centred on the dataset's channel means (so cosine is not just "bright"). */
function rowsTensor(maps: RegionMaps, start: number, end: number, mean: tf.Tensor1D): tf.Tensor4D {
  const { grid, channels } = maps;
  const per = grid * grid * channels;
  const data = new Float32Array((end - start) * per);
  for (let r = start; r < end; r++) {
    const scale = maps.scales[r];
    const base = r * per;
    const out = (r - start) * per;
    for (let i = 0; i < per; i++) data[out + i] = maps.data[base + i] * scale;
  }
  return tf.tidy(() => tf.sub(tf.tensor4d(data, [end - start, grid, grid, channels]), mean) as tf.Tensor4D);
}

/** Per-channel mean of every row's map. */
function channelMeans(maps: RegionMaps): Float32Array {
  const { grid, channels, rows } = maps;
  const sums = new Float64Array(channels);
  const per = grid * grid * channels;
  for (let r = 0; r < rows; r++) {
    const scale = maps.scales[r];
    for (let i = 0; i < per; i++) sums[i % channels] += maps.data[r * per + i] * scale;
  }
  return Float32Array.from(sums, (s) => s / Math.max(1, rows * grid * grid));
}

/** The `k` rows (other than `queryRow`) whose best window is most like `box` on `queryRow`'s map, best first. */
export async function searchRegion(maps: RegionMaps, queryRow: number, box: RegionBox, options: RegionSearchOptions = {}): Promise<RegionMatch[]> {
  const { grid, channels, rows } = maps;
  if (!(queryRow >= 0 && queryRow < rows)) throw new RangeError(`query row ${queryRow} of ${rows}`);
  const k = options.k ?? 50;
  const chunkRows = options.chunkRows ?? 128;
  const cells = boxCells(box, grid);
  const mean = tf.tensor1d(channelMeans(maps));
  // The query window as a kernel of unit norm: the convolution is then the dot product with a unit query.
  const kernel = tf.tidy(() => {
    const query = rowsTensor(maps, queryRow, queryRow + 1, mean).slice([0, cells.y0, cells.x0, 0], [1, cells.h, cells.w, channels]);
    const k4 = tf.transpose(query, [1, 2, 3, 0]) as tf.Tensor4D; // [h, w, channels, 1]
    return tf.div(k4, tf.add(tf.norm(k4), 1e-6)) as tf.Tensor4D;
  });
  const width = grid - cells.w + 1;
  const scores = new Float32Array(rows);
  const at = new Int32Array(rows);
  try {
    for (let start = 0; start < rows; start += chunkRows) {
      if (options.signal) throwIfCancelled(options.signal);
      const end = Math.min(rows, start + chunkRows);
      const [max, arg] = tf.tidy(() => {
        const x = rowsTensor(maps, start, end, mean);
        const dot = tf.conv2d(x, kernel, 1, 'valid');
        const energy = tf.conv2d(tf.sum(tf.square(x), -1, true) as tf.Tensor4D, tf.ones([cells.h, cells.w, 1, 1]) as tf.Tensor4D, 1, 'valid');
        const cos = tf.reshape(tf.div(dot, tf.sqrt(tf.add(energy, 1e-6))), [end - start, -1]);
        return [tf.max(cos, 1), tf.argMax(cos, 1)];
      });
      const [maxValues, argValues] = await Promise.all([max.data(), arg.data()]);
      tf.dispose([max, arg]);
      scores.set(maxValues, start);
      at.set(argValues, start);
      // Let an abort (a message on this thread) arrive between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    tf.dispose([mean, kernel]);
  }
  const order = Array.from({ length: rows }, (_, r) => r).filter((r) => r !== queryRow);
  order.sort((a, b) => scores[b] - scores[a]);
  return order.slice(0, k).map((row) => ({
    row,
    similarity: scores[row],
    box: { x: (at[row] % width) / grid, y: Math.floor(at[row] / width) / grid, w: cells.w / grid, h: cells.h / grid },
  }));
}
