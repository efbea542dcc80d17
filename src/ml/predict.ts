// Class probabilities from the head, and per-item summaries: predicted class, confidence, margin, entropy.
import * as tf from '@tensorflow/tfjs';

/** Format version of the predictions JSON. */
export const PREDICTIONS_VERSION = 1;

/** Rows per forward pass of the head. */
const PREDICT_BATCH = 4096;

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

/** Runs the head on `rows × featureDim` features; returns `rows × classes` probabilities. */
export function predictProbabilities(head: tf.LayersModel, features: Float32Array, featureDim: number): Float32Array {
  const rows = features.length / featureDim;
  if (!Number.isInteger(rows)) throw new Error(`features length ${features.length} is not a multiple of ${featureDim}`);
  const numClasses = head.outputs[0].shape[1] as number;
  const out = new Float32Array(rows * numClasses);
  for (let start = 0; start < rows; start += PREDICT_BATCH) {
    const size = Math.min(PREDICT_BATCH, rows - start);
    const probs = tf.tidy(() => head.predict(tf.tensor2d(features.subarray(start * featureDim, (start + size) * featureDim), [size, featureDim])) as tf.Tensor2D);
    out.set(probs.dataSync(), start * numClasses);
    probs.dispose();
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
