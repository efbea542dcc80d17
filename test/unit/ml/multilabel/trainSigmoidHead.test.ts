import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../../../src/ml/engine';
import { readHeadWeights } from '../../../../src/ml/head';
import { rankScores, rocAuc } from '../../../../src/ml/metrics/curves';
import { resolveMultiLabelConfig } from '../../../../src/ml/multilabel/config';
import { initialWeights, predictSigmoid } from '../../../../src/ml/multilabel/sigmoidHead';
import { labelMatrix } from '../../../../src/ml/multilabel/targets';
import { positiveWeightsOf, trainSigmoidHead } from '../../../../src/ml/multilabel/trainSigmoidHead';
import type { MultiLabelSet } from '../../../../src/ml/multilabel/trainSigmoidHead';
import { syntheticFindings } from './synthetic';

const DIM = 12;
const FINDINGS = ['Atelectasis', 'Edema', 'Effusion'];

describe('ml/multilabel sigmoid head', function () {
  this.timeout(120_000);
  const config = resolveMultiLabelConfig({ epochs: 30, learningRate: 0.02, batchSize: 32, seed: 3 });
  const make = (n: number, seed: number): MultiLabelSet => {
    const data = syntheticFindings(n, DIM, FINDINGS, seed);
    return { features: data.features, labels: labelMatrix(data.states, FINDINGS, config) };
  };
  const train = make(600, 1);
  const validation = make(200, 2);
  const initial = (): ReturnType<typeof initialWeights>['weights'] => initialWeights(DIM, FINDINGS, config.seed).weights;

  before(async () => {
    await initEngine();
  });

  it('learns every finding from binary cross-entropy, stops early, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const result = await trainSigmoidHead({ featureDim: DIM, train, validation, config, initial: initial() });
    const probs = predictSigmoid(result.head, validation.features, DIM);
    FINDINGS.forEach((finding, f) => {
      const scores = Array.from({ length: validation.labels.rows }, (_, i) => probs[i * 3 + f]);
      const truth = Array.from({ length: validation.labels.rows }, (_, i) => validation.labels.targets[i * 3 + f] === 1);
      assert.ok(rocAuc(rankScores(scores), truth) > 0.9, `${finding} AUC`);
    });
    assert.equal(result.history.length, Math.min(config.epochs, result.bestEpoch + config.patience), 'stops `patience` epochs after the best');
    assert.ok(result.history[result.bestEpoch - 1].valLoss < result.history[0].valLoss, 'validation loss fell');
    result.head.dispose();
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  it('is reproducible with a seed and ignores masked labels entirely', async () => {
    const weights = async (set: MultiLabelSet, seed: number): Promise<Float32Array> => {
      const result = await trainSigmoidHead({ featureDim: DIM, train: set, validation, config: { ...config, epochs: 3, seed }, initial: initial() });
      const { kernel } = readHeadWeights(result.head);
      result.head.dispose();
      return kernel;
    };
    const a = await weights(train, 3);
    assert.deepEqual(await weights(train, 3), a);
    assert.notDeepEqual(await weights(train, 4), a);
    // Flipping targets where the mask is 0 must change nothing.
    const masked = { ...train.labels, mask: train.labels.mask.slice(), targets: train.labels.targets.slice() };
    for (let i = 0; i < masked.rows; i += 3) masked.mask[i * 3 + 1] = 0;
    const flipped = { ...masked, targets: masked.targets.map((t, j) => (masked.mask[j] === 0 ? 1 - t : t)) };
    assert.deepEqual(await weights({ features: train.features, labels: flipped }, 3), await weights({ features: train.features, labels: masked }, 3));
  });

  it('weights positives by negatives / positives per finding, capped', () => {
    const labels = labelMatrix(
      [{ A: 'positive', B: 'negative' }, { A: 'negative', B: 'negative' }, { A: 'negative', B: 'negative' }, { A: 'negative', B: 'uncertain' }],
      ['A', 'B'],
      resolveMultiLabelConfig({ uncertainDefault: 'ignore' }),
    );
    assert.deepEqual(positiveWeightsOf(labels, { positiveWeights: true, maxPositiveWeight: 100 }), [3, 1]);
    assert.deepEqual(positiveWeightsOf(labels, { positiveWeights: true, maxPositiveWeight: 2 }), [2, 1]);
    assert.deepEqual(positiveWeightsOf(labels, { positiveWeights: false, maxPositiveWeight: 100 }), [1, 1]);
  });

  it('warm-starts the findings the parent has, by name, and initialises the others', async () => {
    const parentRun = await trainSigmoidHead({ featureDim: DIM, train, validation, config: { ...config, epochs: 2 }, initial: initial() });
    const parentWeights = readHeadWeights(parentRun.head);
    parentRun.head.dispose();
    const { weights, warmStarted } = initialWeights(DIM, ['Effusion', 'Nodule', 'Atelectasis'], 9, { findings: FINDINGS, weights: parentWeights });
    assert.deepEqual(warmStarted, ['Effusion', 'Atelectasis']);
    for (let j = 0; j < DIM; j++) {
      assert.equal(weights.kernel[j * 3], parentWeights.kernel[j * 3 + 2], 'Effusion column');
      assert.equal(weights.kernel[j * 3 + 2], parentWeights.kernel[j * 3], 'Atelectasis column');
    }
    assert.equal(weights.bias[1], 0, 'a new finding starts at bias 0');
    assert.deepEqual(initialWeights(DIM, FINDINGS, 1, { findings: FINDINGS, weights: { ...parentWeights, featureDim: 7 } }).warmStarted, [], 'another backbone width starts afresh');
  });
});
