// The feature maps region search matches on: an early layer of the backbone (MobileNetV2's `block_2_add`, 56×56×8
// cells of 4 px at 224 px input), where a cell still sees a letter rather than the whole corner of the film. Tried on
// planted "L" markers against later layers (14×14 and 7×7) and against plain pixel correlation; this layer found
// the most. Stored as int8 with one scale per image: 25 KB an image.
import * as tf from '@tensorflow/tfjs';

/** The layer of a MobileNetV2 backbone whose output is matched. */
export const REGION_LAYER = 'block_2_add';

/** Feature maps of many images, row-major `rows × grid × grid × channels`, `value = data × scales[row]`. */
export interface RegionMaps {
  rows: number;
  grid: number;
  channels: number;
  data: Int8Array;
  scales: Float32Array;
}

/** The part of `backbone` up to {@link REGION_LAYER}: cheaper to run than the whole network. */
export function regionExtractor(backbone: tf.LayersModel): tf.LayersModel {
  let layer: tf.layers.Layer;
  try {
    layer = backbone.getLayer(REGION_LAYER);
  } catch {
    throw new Error(`region search needs a MobileNetV2 backbone (no layer "${REGION_LAYER}" in this one)`);
  }
  return tf.model({ inputs: backbone.inputs, outputs: layer.output as tf.SymbolicTensor });
}

/** One image's map quantised: `values ≈ data × scale`. */
export function quantiseMap(values: Float32Array): { data: Int8Array; scale: number } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 127 : 1;
  return { data: Int8Array.from(values, (v) => Math.round(v / scale)), scale };
}

/** The maps of a batch of preprocessed images `[n, size, size, 3]`, quantised one by one. */
export function extractMaps(extractor: tf.LayersModel, inputs: tf.Tensor4D): { grid: number; channels: number; maps: { data: Int8Array; scale: number }[] } {
  const output = tf.tidy(() => extractor.predict(inputs) as tf.Tensor4D);
  try {
    const [n, grid, , channels] = output.shape;
    const values = output.dataSync() as Float32Array;
    const per = grid * grid * channels;
    const maps = Array.from({ length: n }, (_, i) => quantiseMap(values.subarray(i * per, (i + 1) * per)));
    return { grid, channels, maps };
  } finally {
    output.dispose();
  }
}
