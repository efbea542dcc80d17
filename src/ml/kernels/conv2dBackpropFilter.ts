import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, assertNhwcUndilated, heapFloat32, wasmMatMul } from './wasmHeap';

/**
 * dW = im2col(x)ᵀ · dy. The transposed patch matrix is gathered in JS (a copy, cheap next to the product) and the
 * product runs in the wasm backend's own matrix kernel.
 */
function conv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  assertNhwcUndilated(tf.Conv2DBackpropFilter, attrs.dataFormat, 1);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const rows = batchSize * outHeight * outWidth;
  const patchSize = filterHeight * filterWidth * inChannels;

  const patchesT = backend.makeOutput([1, patchSize, rows], 'float32');
  gatherPatchesTransposed(heapFloat32(backend, x), heapFloat32(backend, patchesT), info);
  const dy3d: tf.TensorInfo = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: 'float32' };
  const product = wasmMatMul(backend, patchesT, dy3d);
  backend.disposeData(patchesT.dataId);
  // Row-major [1, fh·fw·inC, outC] is already the [fh, fw, inC, outC] layout.
  return { dataId: product.dataId, shape: [filterHeight, filterWidth, inChannels, outChannels], dtype: 'float32' };
}

/**
 * Transposed im2col: row (fy, fx, c), column (n, y, x) holds the input value that filter tap meets at that output
 * pixel, zero outside the image.
 */
function gatherPatchesTransposed(input: Float32Array, patchesT: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth,
    strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const rows = batchSize * outHeight * outWidth;
  let column = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageBase = n * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, column++) {
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight + fy - top;
          for (let fx = 0; fx < filterWidth; fx++) {
            const ix = ox * strideWidth + fx - left;
            const inside = iy >= 0 && iy < inHeight && ix >= 0 && ix < inWidth;
            const src = imageBase + (iy * inWidth + ix) * inChannels;
            let dst = (fy * filterWidth + fx) * inChannels * rows + column;
            for (let c = 0; c < inChannels; c++, dst += rows) {
              patchesT[dst] = inside ? input[src + c] : 0;
            }
          }
        }
      }
    }
  }
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as tf.KernelFunc,
};
