// Trains the sigmoid head on cached features: binary cross-entropy over the counted labels, positives weighted
// per finding, dropout, Adam or RMSprop (Keras defaults), early stopping on the validation loss keeping the best
// weights. The gradient of the dense layer is written out (dL/dz = mask · (w·y·(p − 1) + (1 − y)·p)) and applied
// with tfjs optimizers: on the wasm backend a plain matrix product is several times faster than the
// transposed products autodiff would run. Batches are filled in plain arrays from a seeded order; every tensor
// lives inside tf.tidy or is disposed in `finally`.
import * as tf from '@tensorflow/tfjs';
import { dropOut, makeDropout } from '../dropout';
import type { HeadWeights } from '../head';
import { seededRandom, shuffled } from '../splits';
import type { MultiLabelTrainConfig } from './config';
import { createSigmoidHead } from './sigmoidHead';
import { labelCounts } from './targets';
import type { LabelMatrix } from './targets';

export interface MultiLabelSet {
  /** `labels.rows × featureDim` floats, row-major. */
  features: Float32Array;
  labels: LabelMatrix;
}

export interface SigmoidEpochLog {
  epoch: number;
  /** Weighted binary cross-entropy per counted label, training side (dropout on). */
  loss: number;
  valLoss: number;
}

export interface TrainSigmoidInput {
  featureDim: number;
  train: MultiLabelSet;
  validation: MultiLabelSet;
  config: MultiLabelTrainConfig;
  /** Starting weights (see `initialWeights`: random, or the parent's for the findings it has). */
  initial: HeadWeights;
  signal?: AbortSignal;
  onEpoch?: (log: SigmoidEpochLog) => void;
}

export interface TrainSigmoidResult {
  /** The trained head (best validation loss); the caller disposes it. */
  head: tf.Sequential;
  history: SigmoidEpochLog[];
  bestEpoch: number;
  /** Weight of a positive label per finding (negatives / positives on the training side, capped). */
  positiveWeights: number[];
}

/** negatives / positives of each finding among the counted training labels, in [1 / cap, cap]; 1 when switched off. */
export function positiveWeightsOf(labels: LabelMatrix, config: Pick<MultiLabelTrainConfig, 'positiveWeights' | 'maxPositiveWeight'>): number[] {
  const { positives, counted } = labelCounts(labels);
  return positives.map((p, f) => {
    if (!config.positiveWeights || p === 0) return 1;
    return Math.min(config.maxPositiveWeight, Math.max(1 / config.maxPositiveWeight, (counted[f] - p) / p));
  });
}

function makeOptimizer(config: MultiLabelTrainConfig): tf.Optimizer {
  return config.optimizer === 'rmsprop' ? tf.train.rmsprop(config.learningRate, 0.9, 0, 1e-7) : tf.train.adam(config.learningRate, 0.9, 0.999, 1e-7);
}

/** Mean weighted binary cross-entropy of logits `z` over the labels where `mask` is 1 (a scalar). */
function weightedBce(z: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor2D, positiveWeight: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const perLabel = y.mul(positiveWeight).mul(tf.softplus(z.neg())).add(tf.onesLike(y).sub(y).mul(tf.softplus(z)));
    return perLabel.mul(mask).sum().div(tf.maximum(mask.sum(), 1)) as tf.Scalar;
  });
}

function checkSet(name: string, set: MultiLabelSet, featureDim: number, k: number): void {
  if (set.features.length !== set.labels.rows * featureDim) throw new Error(`${name}: ${set.features.length} floats for ${set.labels.rows} rows of ${featureDim}`);
  if (set.labels.findings.length !== k) throw new Error(`${name}: ${set.labels.findings.length} findings, the head has ${k}`);
  if (set.labels.rows === 0) throw new Error(`no ${name} items`);
}

/** Trains a sigmoid head; throws an AbortError-named error when `signal` fires (checked between batches). */
export async function trainSigmoidHead(input: TrainSigmoidInput): Promise<TrainSigmoidResult> {
  const { featureDim: d, train, validation, config, initial } = input;
  const k = initial.numClasses;
  checkSet('train', train, d, k);
  checkSet('validation', validation, d, k);
  if (initial.featureDim !== d) throw new Error(`initial weights take ${initial.featureDim} features, not ${d}`);
  const positiveWeights = positiveWeightsOf(train.labels, config);
  const random = seededRandom(config.seed);
  const batchSize = Math.min(config.batchSize, train.labels.rows);
  // A fresh seeded mask per row and step, applied while the batch is copied (as the single-label head does).
  const dropout = makeDropout(config.dropout, random);

  // The bias is the kernel's last row, over an input that is always 1: one variable, so the optimizer's step (a dozen
  // ops per variable, the largest cost of a batch on wasm) runs once. Made in tidy so the initial value goes.
  const D = d + 1;
  const weights = tf.tidy(() => tf.variable(tf.tensor2d(withBiasRow(initial.kernel, initial.bias), [D, k]), true));
  const optimizer = makeOptimizer(config);
  const owned: tf.Tensor[] = [weights];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  let best: tf.Tensor | null = null;
  try {
    const weight = own(tf.tensor1d(positiveWeights));
    const nv = validation.labels.rows;
    const valX = own(tf.tensor2d(withOnes(validation.features, nv, d), [nv, D]));
    const valY = own(tf.tensor2d(validation.labels.targets, [nv, k]));
    const valM = own(tf.tensor2d(validation.labels.mask, [nv, k]));
    const x = new Float32Array(batchSize * D);
    // Per label of the batch: a = mask·w·y and ab = a + mask·(1 − y). Then the summed weighted BCE of logits z is
    // Σ ab·softplus(z) − a·z and its gradient ab·sigmoid(z) − a, so a step needs a few ops and no loss of its own.
    const a = new Float32Array(batchSize * k);
    const ab = new Float32Array(batchSize * k);
    const rows = Array.from({ length: train.labels.rows }, (_, i) => i);
    const history: SigmoidEpochLog[] = [];
    let bestLoss = Infinity;
    let bestEpoch = 0;

    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = shuffled(rows, random);
      // The epoch's summed loss stays on the device: read once per epoch, not once per batch.
      let lossSum: tf.Tensor = tf.scalar(0);
      let counted = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        if (input.signal?.aborted) {
          lossSum.dispose();
          throw Object.assign(new Error('training cancelled'), { name: 'AbortError' });
        }
        const b = Math.min(batchSize, order.length - start);
        let batchCount = 0;
        for (let r = 0; r < b; r++) {
          const row = order[start + r];
          if (dropout) dropOut(dropout, train.features, row * d, x.subarray(r * D, r * D + d), d);
          else x.set(train.features.subarray(row * d, (row + 1) * d), r * D);
          x[r * D + d] = 1;
          for (let f = 0; f < k; f++) {
            const target = train.labels.targets[row * k + f];
            const mask = train.labels.mask[row * k + f];
            a[r * k + f] = mask * positiveWeights[f] * target;
            ab[r * k + f] = a[r * k + f] + mask * (1 - target);
            batchCount += mask;
          }
        }
        const scale = 1 / Math.max(batchCount, 1);
        const previous = lossSum;
        lossSum = tf.tidy(() => {
          const xs = tf.tensor2d(x.subarray(0, b * D), [b, D]);
          const as = tf.tensor2d(a.subarray(0, b * k), [b, k]);
          const abs = tf.tensor2d(ab.subarray(0, b * k), [b, k]);
          const z = xs.matMul(weights) as tf.Tensor2D;
          const grad = abs.mul(tf.sigmoid(z)).sub(as).mul(scale) as tf.Tensor2D;
          optimizer.applyGradients({ [weights.name]: tf.transpose(xs).matMul(grad) });
          return previous.add(abs.mul(tf.softplus(z)).sub(as.mul(z)).sum());
        });
        previous.dispose();
        counted += batchCount;
      }
      const trainLoss = (await lossSum.data())[0];
      lossSum.dispose();
      const valLossTensor = tf.tidy(() => weightedBce(valX.matMul(weights) as tf.Tensor2D, valY, valM, weight));
      const valLoss = (await valLossTensor.data())[0];
      valLossTensor.dispose();
      const log = { epoch, loss: trainLoss / Math.max(counted, 1), valLoss };
      history.push(log);
      input.onEpoch?.(log);
      if (valLoss < bestLoss - config.minDelta) {
        bestLoss = valLoss;
        bestEpoch = epoch;
        best?.dispose();
        best = weights.clone();
      } else if (epoch - bestEpoch >= config.patience) {
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const chosen = (best ?? weights).dataSync() as Float32Array;
    const head = createSigmoidHead({ featureDim: d, numClasses: k, kernel: chosen.slice(0, d * k), bias: chosen.slice(d * k) }, config.dropout);
    return { head, history, bestEpoch, positiveWeights };
  } finally {
    optimizer.dispose();
    tf.dispose(owned);
    best?.dispose();
  }
}

/** The `[d][k]` kernel with the bias appended as row d. */
function withBiasRow(kernel: Float32Array, bias: Float32Array): Float32Array {
  const out = new Float32Array(kernel.length + bias.length);
  out.set(kernel);
  out.set(bias, kernel.length);
  return out;
}

/** `rows × d` features with a 1 appended to each row (the bias input). */
function withOnes(features: Float32Array, rows: number, d: number): Float32Array {
  const out = new Float32Array(rows * (d + 1));
  for (let r = 0; r < rows; r++) {
    out.set(features.subarray(r * d, (r + 1) * d), r * (d + 1));
    out[r * (d + 1) + d] = 1;
  }
  return out;
}
