// The classifier on top of the frozen backbone's pooled features: dropout, then a dense softmax layer
// (the paper's head; global average pooling happens in the embedding workers).
import * as tf from '@tensorflow/tfjs';

/** A new head for `featureDim` inputs and `numClasses` outputs, initialised from `seed`. */
export function createHead(featureDim: number, numClasses: number, dropout: number, seed: number): tf.Sequential {
  if (numClasses < 2) throw new RangeError(`a classifier needs at least 2 classes, got ${numClasses}`);
  return tf.sequential({
    name: 'head',
    layers: [
      tf.layers.dropout({ inputShape: [featureDim], rate: dropout, name: 'dropout' }),
      tf.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }), name: 'dense' }),
    ],
  });
}

/** The dense layer's kernel `[featureDim, classes]` and bias `[classes]` variables. */
export function headVariables(head: tf.LayersModel): { kernel: tf.Variable; bias: tf.Variable } {
  const dense = head.layers[head.layers.length - 1];
  const [kernel, bias] = dense.trainableWeights.map((w) => w.read() as tf.Variable);
  if (!kernel || !bias || kernel.shape.length !== 2) throw new Error('head model has no dense layer with kernel and bias');
  return { kernel, bias };
}

/** The head's dense weights as plain arrays: kernel row-major `[featureDim][classes]`, then bias. */
export interface HeadWeights {
  featureDim: number;
  numClasses: number;
  kernel: Float32Array;
  bias: Float32Array;
}

export function readHeadWeights(head: tf.LayersModel): HeadWeights {
  const { kernel, bias } = headVariables(head);
  const [featureDim, numClasses] = kernel.shape as [number, number];
  return { featureDim, numClasses, kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
}

export function writeHeadWeights(head: tf.LayersModel, weights: HeadWeights): void {
  const { kernel, bias } = headVariables(head);
  tf.tidy(() => {
    kernel.assign(tf.tensor2d(weights.kernel, [weights.featureDim, weights.numClasses]));
    bias.assign(tf.tensor1d(weights.bias));
  });
}
