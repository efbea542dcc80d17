import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, assertNhwcUndilated, heapFloat32, wasmMatMul } from './wasmHeap';

/**
 * dx = col2im(dy · Wᵀ). Replaces the stock wasm kernel, a direct loop that took 160–200 ms of a 450 ms fine-tuning
 * step for the 1×1 `Conv_1` of MobileNetV2 alone; the product here runs in the wasm matrix kernel (about 20 ms).
 */
function conv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  assertNhwcUndilated(tf.Conv2DBackpropInput, attrs.dataFormat, 1);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const rows = batchSize * outHeight * outWidth;
  const patchSize = filterHeight * filterWidth * inChannels;

  const filterT = backend.makeOutput([1, outChannels, patchSize], 'float32');
  transpose(heapFloat32(backend, filter), heapFloat32(backend, filterT), patchSize, outChannels);
  const dy3d: tf.TensorInfo = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: 'float32' };
  const columns = wasmMatMul(backend, dy3d, filterT);
  backend.disposeData(filterT.dataId);
  const dx = backend.makeOutput(info.inShape, 'float32');
  // Views are taken after the last allocation: growing the heap detaches earlier ones.
  scatterColumns(heapFloat32(backend, columns), heapFloat32(backend, dx), info);
  backend.disposeData(columns.dataId);
  return dx;
}

/** out[j, i] = values[i, j] for a `rows × cols` row-major matrix. */
function transpose(values: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  }
}

/** col2im: adds row (n, y, x), chunk (fy, fx) of the columns to dx[n, y·s + fy − top, x·s + fx − left, :]. */
function scatterColumns(columns: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth,
    strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  dx.fill(0);
  let src = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageBase = n * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight + fy - top;
          for (let fx = 0; fx < filterWidth; fx++, src += inChannels) {
            const ix = ox * strideWidth + fx - left;
            if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) continue;
            const dst = imageBase + (iy * inWidth + ix) * inChannels;
            for (let c = 0; c < inChannels; c++) dx[dst + c] += columns[src + c];
          }
        }
      }
    }
  }
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as tf.KernelFunc,
};
