// Picks the fastest TensorFlow.js backend that loads here: tfjs-node (native, optional dependency),
// else wasm with SIMD, else the pure-JS cpu backend. Each worker thread calls this once.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface EngineInfo {
  backend: BackendName;
  /** Whether the wasm backend runs its SIMD build (false on other backends). */
  simd: boolean;
}

let active: Promise<EngineInfo> | undefined;

/** Resolves the folder that holds the `.wasm` binaries shipped in the npm package (also from the esbuild bundle, where the package stays external). */
function wasmDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + path.sep;
}

async function tryTfjsNode(): Promise<boolean> {
  try {
    // Optional native backend: registers the 'tensorflow' backend with the shared tfjs-core when installed.
    require('@tensorflow/tfjs-node');
  } catch {
    return false;
  }
  return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
}

async function tryWasm(): Promise<boolean> {
  setWasmPaths(wasmDir());
  // The threaded build needs a browser Worker; parallelism comes from our own worker_threads pool instead.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  try {
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function select(prefer: readonly BackendName[]): Promise<EngineInfo> {
  for (const name of prefer) {
    const ok = name === 'tensorflow' ? await tryTfjsNode() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      const simd = name === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      return { backend: name, simd };
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised (tried ${prefer.join(', ')})`);
}

/**
 * Initialises TensorFlow.js once per thread and reports the backend in use.
 * @param prefer backends to try, in order. Default `['tensorflow', 'wasm', 'cpu']`.
 */
export function initEngine(prefer: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu']): Promise<EngineInfo> {
  active ??= select(prefer);
  return active;
}
