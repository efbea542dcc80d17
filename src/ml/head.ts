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

/** Copies the parent's dense weights into `head` when the shapes agree; says whether it did. */
export function warmStart(head: tf.LayersModel, parent: tf.LayersModel): boolean {
  const to = headVariables(head);
  const from = headVariables(parent);
  if (!tf.util.arraysEqual(to.kernel.shape, from.kernel.shape)) return false;
  to.kernel.assign(from.kernel);
  to.bias.assign(from.bias);
  return true;
}
