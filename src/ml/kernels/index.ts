import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { depthwiseConv2dBackpropFilterConfig, depthwiseConv2dBackpropInputConfig } from './depthwiseConv2dBackprop';

/** Kernels stock tfjs-backend-wasm 4.22 lacks; left alone if a later tfjs provides them. */
const missingKernels: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
];

/** Kernels wasm has but that are too slow for training; ours replace them. */
const fasterKernels: readonly tf.KernelConfig[] = [conv2dBackpropInputConfig];

/**
 * Registers the convolution gradient kernels that let training (fine-tuning the backbone's last blocks) run on the
 * wasm backend: the three it lacks, and a matrix-kernel Conv2DBackpropInput in place of its slow loop. Idempotent.
 */
export function registerWasmGradientKernels(): void {
  for (const config of missingKernels) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  for (const config of fasterKernels) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}
