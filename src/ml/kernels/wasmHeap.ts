import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The wasm backend a kernel received; fails clearly when a kernel is called on another backend. */
export function asWasmBackend(backend: unknown): BackendWasm {
  const candidate = backend as Partial<BackendWasm> | null;
  if (candidate === null || typeof candidate.typedArrayFromHeap !== 'function' || typeof candidate.makeOutput !== 'function') {
    throw new Error('wasm gradient kernel called with a backend that is not the tfjs wasm backend');
  }
  return candidate as BackendWasm;
}

/**
 * A Float32Array view of a tensor on the wasm heap. Views are invalidated when the heap grows, so take them only
 * after every output of the kernel has been allocated.
 */
export function heapFloat32(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') {
    throw new Error(`wasm gradient kernel expects float32 tensors, got ${info.dtype}`);
  }
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Rejects layouts and dilations the kernels do not implement (tfjs' own gradients never request them). */
export function assertNhwcUndilated(kernelName: string, dataFormat: string | undefined, dilations: number | [number, number] | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} on wasm supports NHWC only, got ${dataFormat}`);
  }
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations ?? [1, 1];
  if (dh !== 1 || dw !== 1) {
    throw new Error(`${kernelName} on wasm supports dilation 1 only, got [${dh}, ${dw}]`);
  }
}

/**
 * a · b through the wasm backend's BatchMatMul (XNNPACK) on rank-3 views `[1, m, k]` · `[1, k, n]`. Never ask it to
 * transpose an operand: with `transposeA`/`transposeB` it falls back to a loop 10–20× slower (measured: 311 ms and
 * 174 ms vs 16 ms for 112×784 · 784×1280), so callers lay their operands out untransposed.
 */
export function wasmMatMul(backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const batchMatMul = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (batchMatMul === undefined) {
    throw new Error('the wasm backend has no BatchMatMul kernel');
  }
  return batchMatMul.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
}
