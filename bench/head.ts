// Retraining the head after a few relabels and re-predicting every item, from cached embeddings, at 1,000 and
// 10,000 items: the real cxr embeddings repeated with seeded noise to reach the count (training and validation rows
// from different images). The first training (cold) is timed too; the retrain warm-starts from it as "Retrain
// Model" does. Tensors must not leak.
import * as tf from '@tensorflow/tfjs';
import { resolveTrainConfig } from '../src/ml/config';
import { predictProbabilities, summarize } from '../src/ml/predict';
import { seededRandom } from '../src/ml/splits';
import { trainHead } from '../src/ml/trainHead';
import { progress, runBenchmark } from './lib/child';
import { cxrFeatures, openCxrSession } from './lib/features';

interface HeadTiming {
  coldTrainMs: number;
  retrainAndPredictMs: number;
  warmEpochs: number;
  leakedTensors: number;
}

/**
 * `n` rows drawn from the real embeddings `sources`, each with small seeded noise (so rows are not exact copies).
 * Training and validation rows come from different source images: validation rows that were noisy copies of training
 * rows kept the validation loss falling for as long as the head memorised, which real held-out patients do not.
 */
function tiled(vectors: Float32Array, labels: readonly number[], dim: number, sources: readonly number[], n: number, seed: number): { features: Float32Array; labels: Int32Array } {
  const random = seededRandom(seed);
  const features = new Float32Array(n * dim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = sources[i % sources.length];
    for (let j = 0; j < dim; j++) features[i * dim + j] = vectors[src * dim + j] + (random() - 0.5) * 0.05;
    y[i] = labels[src];
  }
  return { features, labels: y };
}

/** `n` rows, the first 80% tiled from every fifth-but-one source image, the last 20% from the others. */
function trainThenValidation(vectors: Float32Array, labels: readonly number[], dim: number, n: number): { features: Float32Array; labels: Int32Array } {
  const nTrain = Math.round(n * 0.8);
  const all = labels.map((_, i) => i);
  const train = tiled(vectors, labels, dim, all.filter((i) => i % 5 !== 4), nTrain, 1);
  const validation = tiled(vectors, labels, dim, all.filter((i) => i % 5 === 4), n - nTrain, 2);
  const features = new Float32Array(n * dim);
  features.set(train.features);
  features.set(validation.features, nTrain * dim);
  return { features, labels: Int32Array.from([...train.labels, ...validation.labels]) };
}

async function retrain(features: Float32Array, labels: Int32Array, dim: number, numClasses: number): Promise<HeadTiming> {
  const n = labels.length;
  const nTrain = Math.round(n * 0.8);
  const split = (a: number, b: number): { features: Float32Array; labels: Int32Array } => ({ features: features.subarray(a * dim, b * dim), labels: labels.subarray(a, b) });
  const config = resolveTrainConfig({ augmentViews: 0 });
  const classes = Array.from({ length: numClasses }, (_, k) => String(k));
  const before = tf.memory().numTensors;
  let start = performance.now();
  const first = await trainHead({ featureDim: dim, numClasses, train: split(0, nTrain), validation: split(nTrain, n), config });
  const coldTrainMs = performance.now() - start;
  for (let i = 0; i < 20; i++) labels[i * 37] = (labels[i * 37] + 1) % numClasses; // a few relabels
  start = performance.now();
  const second = await trainHead({ featureDim: dim, numClasses, train: split(0, nTrain), validation: split(nTrain, n), config, parent: first.head });
  const probs = predictProbabilities(second.head, features, dim);
  for (let i = 0; i < n; i++) summarize(String(i), probs.subarray(i * numClasses, (i + 1) * numClasses), classes);
  const retrainAndPredictMs = performance.now() - start;
  first.head.dispose();
  second.head.dispose();
  return { coldTrainMs, retrainAndPredictMs, warmEpochs: second.history.length, leakedTensors: tf.memory().numTensors - before };
}

runBenchmark('head', async ({ work }) => {
  const session = await openCxrSession(work);
  try {
    const cached = await cxrFeatures(session, work);
    const classes = [...new Set(cached.items.map((item) => item.label!))].sort();
    const labels = cached.items.map((item) => classes.indexOf(item.label!));
    const metrics: Record<string, number | boolean> = {};
    const epochs: Record<string, number> = {};
    for (const n of [1_000, 10_000]) {
      progress('head', `${n} items`);
      const data = trainThenValidation(cached.features, labels, cached.featureDim, n);
      const timing = await retrain(data.features, data.labels, cached.featureDim, classes.length);
      metrics[`head.${n}.coldTrainMs`] = timing.coldTrainMs;
      metrics[`head.${n}.retrainPredictMs`] = timing.retrainAndPredictMs;
      metrics[`head.${n}.noTensorLeak`] = timing.leakedTensors === 0;
      epochs[n] = timing.warmEpochs;
    }
    return {
      metrics,
      inputs: {
        backend: tf.getBackend(),
        featureDim: cached.featureDim,
        classes: classes.length,
        source: `${cached.items.length} cached cxr embeddings repeated with seeded noise; training and validation rows from different images`,
        split: '80% train / 20% validation',
        config: 'defaults (adam, batch 64, ≤40 epochs, patience 5), warm start, augmentViews 0',
        warmEpochs: epochs,
      },
    };
  } finally {
    await session.close();
  }
});
