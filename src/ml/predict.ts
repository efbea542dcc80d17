// Class probabilities from the head, and per-item summaries: predicted class, confidence, margin, entropy.
import type * as tf from '@tensorflow/tfjs';
import { dot, softmaxInPlace, transpose } from './dense';
import { readHeadWeights } from './head';
import { PREDICTIONS_VERSION } from './predictionFiles';

export { PREDICTIONS_VERSION };

export interface ItemPrediction {
  id: string;
  /** Probability per class, in the model's class order. */
  probs: number[];
  /** Class with the highest probability (the first one on ties). */
  predicted: string;
  /** Highest probability. */
  confidence: number;
  /** Highest minus second-highest probability. */
  margin: number;
  /** Shannon entropy divided by ln(classes): 0 = certain, 1 = uniform. */
  entropy: number;
}

export interface PredictionsFile {
  version: typeof PREDICTIONS_VERSION;
  modelVersion: number;
  classes: string[];
  items: ItemPrediction[];
  /** Items that could not be predicted (unreadable image), with the reason. */
  errors: { id: string; error: string }[];
}

/**
 * Runs the head (dropout is inactive at inference, so: dense + softmax) on `rows × featureDim` features and
 * returns `rows × classes` probabilities, with the loops of `dense.ts` (no tensors).
 */
export function predictProbabilities(head: tf.LayersModel, features: Float32Array, featureDim: number): Float32Array {
  const { featureDim: d, numClasses: k, kernel, bias } = readHeadWeights(head);
  if (d !== featureDim) throw new Error(`the head takes ${d} features, got rows of ${featureDim}`);
  const rows = features.length / d;
  if (!Number.isInteger(rows)) throw new Error(`features length ${features.length} is not a multiple of ${d}`);
  const kernelT = transpose(kernel, d, k);
  const out = new Float32Array(rows * k);
  const logits = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < k; c++) logits[c] = bias[c] + dot(features, i * d, kernelT, c * d, d);
    softmaxInPlace(logits);
    out.set(logits, i * k);
  }
  return out;
}

/** Summarises one probability row. */
export function summarize(id: string, probs: ArrayLike<number>, classes: readonly string[]): ItemPrediction {
  const k = classes.length;
  let first = 0;
  let second = -1;
  let entropy = 0;
  for (let c = 0; c < k; c++) {
    if (probs[c] > probs[first]) {
      second = first;
      first = c;
    } else if (c !== first && (second < 0 || probs[c] > probs[second])) {
      second = c;
    }
    if (probs[c] > 0) entropy -= probs[c] * Math.log(probs[c]);
  }
  return {
    id,
    probs: Array.from({ length: k }, (_, c) => probs[c]),
    predicted: classes[first],
    confidence: probs[first],
    margin: probs[first] - (second < 0 ? 0 : probs[second]),
    entropy: k > 1 ? entropy / Math.log(k) : 0,
  };
}
