// The multi-label head on the frozen backbone's pooled features: dropout, then one dense layer with a sigmoid
// per finding (independent probabilities, unlike the single-label softmax head).
import * as tf from '@tensorflow/tfjs';
import { headVariables, writeHeadWeights } from '../head';
import type { HeadWeights } from '../head';
import { seededRandom } from '../splits';

/** Rows per matrix product when predicting, so 100,000 items never need one huge tensor. */
const PREDICT_CHUNK = 4096;

/** A head for `featureDim` inputs and one sigmoid output per finding, with the given weights. */
export function createSigmoidHead(weights: HeadWeights, dropout: number): tf.Sequential {
  const head = tf.sequential({
    name: 'multilabel_head',
    layers: [
      tf.layers.dropout({ inputShape: [weights.featureDim], rate: dropout, name: 'dropout' }),
      tf.layers.dense({ units: weights.numClasses, activation: 'sigmoid', name: 'dense' }),
    ],
  });
  writeHeadWeights(head, weights);
  return head;
}

/**
 * Starting weights for `findings`: Glorot-uniform from `seed` (as Keras initialises a dense kernel), bias 0;
 * with a parent head, each finding the parent also has starts from the parent's weights for it.
 */
export function initialWeights(featureDim: number, findings: readonly string[], seed: number, parent?: { findings: readonly string[]; weights: HeadWeights }): { weights: HeadWeights; warmStarted: string[] } {
  const k = findings.length;
  const random = seededRandom(seed);
  const limit = Math.sqrt(6 / (featureDim + k));
  const kernel = Float32Array.from({ length: featureDim * k }, () => (random() * 2 - 1) * limit);
  const bias = new Float32Array(k);
  const warmStarted: string[] = [];
  if (parent && parent.weights.featureDim === featureDim) {
    const pk = parent.weights.numClasses;
    findings.forEach((finding, f) => {
      const p = parent.findings.indexOf(finding);
      if (p < 0) return;
      for (let j = 0; j < featureDim; j++) kernel[j * k + f] = parent.weights.kernel[j * pk + p];
      bias[f] = parent.weights.bias[p];
      warmStarted.push(finding);
    });
  }
  return { weights: { featureDim, numClasses: k, kernel, bias }, warmStarted };
}

/** `rows × findings` sigmoid probabilities of `features` (`rows × featureDim`, row-major); tensors are freed. */
export function predictSigmoid(head: tf.LayersModel, features: Float32Array, featureDim: number): Float32Array {
  const { kernel, bias } = headVariables(head);
  const [d, k] = kernel.shape as [number, number];
  if (d !== featureDim) throw new Error(`the head takes ${d} features, got rows of ${featureDim}`);
  const rows = features.length / d;
  if (!Number.isInteger(rows)) throw new Error(`features length ${features.length} is not a multiple of ${d}`);
  const out = new Float32Array(rows * k);
  for (let start = 0; start < rows; start += PREDICT_CHUNK) {
    const n = Math.min(PREDICT_CHUNK, rows - start);
    const probs = tf.tidy(() => tf.sigmoid(tf.matMul(tf.tensor2d(features.subarray(start * d, (start + n) * d), [n, d]), kernel).add(bias)));
    out.set(probs.dataSync(), start * k);
    probs.dispose();
  }
  return out;
}
