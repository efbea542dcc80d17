import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, assertNhwcUndilated, heapFloat32 } from './wasmHeap';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/*
 * Direct loops over the wasm heap. A depthwise convolution does fh·fw multiply-adds per output value, so there is no
 * product worth handing to a matrix kernel; both loops walk channels innermost, where memory is contiguous.
 */

function depthwiseConv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  assertNhwcUndilated(tf.DepthwiseConv2dNativeBackpropInput, 'NHWC', attrs.dilations);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, true);
  const dx = backend.makeOutput(info.inShape, 'float32');
  const dxValues = heapFloat32(backend, dx);
  dxValues.fill(0);
  scatterDepthwise(heapFloat32(backend, dy), heapFloat32(backend, filter), dxValues, info);
  return dx;
}

/** dx[n, y·s + fy − top, x·s + fx − left, c] += Σ_m dy[n, y, x, c·M + m] · w[fy, fx, c, m]. */
function scatterDepthwise(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth,
    strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const multiplier = outChannels / inChannels;
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyBase = ((n * outHeight + oy) * outWidth + ox) * outChannels;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight + fy - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let fx = 0; fx < filterWidth; fx++) {
            const ix = ox * strideWidth + fx - left;
            if (ix < 0 || ix >= inWidth) continue;
            const dxBase = ((n * inHeight + iy) * inWidth + ix) * inChannels;
            const filterBase = (fy * filterWidth + fx) * outChannels;
            for (let c = 0; c < inChannels; c++) {
              let sum = 0;
              for (let m = 0; m < multiplier; m++) {
                const k = c * multiplier + m;
                sum += dy[dyBase + k] * filter[filterBase + k];
              }
              dx[dxBase + c] += sum;
            }
          }
        }
      }
    }
  }
}

function depthwiseConv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  assertNhwcUndilated(tf.DepthwiseConv2dNativeBackpropFilter, 'NHWC', attrs.dilations);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, true);
  const dw = backend.makeOutput(attrs.filterShape, 'float32');
  const dwValues = heapFloat32(backend, dw);
  dwValues.fill(0);
  accumulateDepthwiseFilter(heapFloat32(backend, x), heapFloat32(backend, dy), dwValues, info);
  return dw;
}

/** dW[fy, fx, c, m] = Σ_{n,y,x} x[n, y·s + fy − top, x·s + fx − left, c] · dy[n, y, x, c·M + m]. */
function accumulateDepthwiseFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth,
    strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const multiplier = outChannels / inChannels;
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyBase = ((n * outHeight + oy) * outWidth + ox) * outChannels;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight + fy - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let fx = 0; fx < filterWidth; fx++) {
            const ix = ox * strideWidth + fx - left;
            if (ix < 0 || ix >= inWidth) continue;
            const xBase = ((n * inHeight + iy) * inWidth + ix) * inChannels;
            const dwBase = (fy * filterWidth + fx) * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const xValue = x[xBase + c];
              for (let m = 0; m < multiplier; m++) {
                const k = c * multiplier + m;
                dw[dwBase + k] += xValue * dy[dyBase + k];
              }
            }
          }
        }
      }
    }
  }
}

export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput as tf.KernelFunc,
};

export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter as tf.KernelFunc,
};
