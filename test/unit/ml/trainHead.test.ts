import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveTrainConfig } from '../../../src/ml/config';
import { initEngine } from '../../../src/ml/engine';
import { headVariables } from '../../../src/ml/head';
import { labelsFingerprint, latestVersion, listVersions, loadHead, readVersionInfo, saveVersion } from '../../../src/ml/modelStore';
import type { ModelVersionInfo } from '../../../src/ml/modelStore';
import { predictProbabilities } from '../../../src/ml/predict';
import { balancedClassWeights, trainHead } from '../../../src/ml/trainHead';
import type { FeatureSet } from '../../../src/ml/trainHead';
import { tempDir } from './mlFixtures';

const DIM = 16;

/** Three Gaussian blobs in DIM dimensions, class c centred on +2 in coordinate c; class 2 is rare. */
function blobs(n: number, seed: number): FeatureSet {
  let s = seed;
  const random = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 2 : i % 2));
  const features = new Float32Array(n * DIM);
  labels.forEach((y, i) => {
    for (let j = 0; j < DIM; j++) features[i * DIM + j] = (random() - 0.5) * 2 + (j === y ? 2 : 0);
  });
  return { features, labels };
}

function accuracy(head: tf.LayersModel, set: FeatureSet): number {
  const probs = predictProbabilities(head, set.features, DIM);
  let right = 0;
  set.labels.forEach((y, i) => {
    const row = Array.from(probs.subarray(i * 3, i * 3 + 3));
    if (row.indexOf(Math.max(...row)) === y) right++;
  });
  return right / set.labels.length;
}

describe('ml/trainHead and modelStore', function () {
  this.timeout(120_000);
  const train = blobs(400, 1);
  const validation = blobs(100, 2);
  const config = resolveTrainConfig({ epochs: 30, augmentViews: 0, seed: 5, learningRate: 0.01 });

  before(async () => {
    await initEngine();
  });

  it('learns separable classes, stops early, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const result = await trainHead({ featureDim: DIM, numClasses: 3, train, validation, config });
    assert.ok(accuracy(result.head, validation) > 0.9, 'validation accuracy');
    assert.ok(result.bestEpoch >= 1 && result.bestEpoch <= result.history.length);
    assert.equal(result.warmStarted, false);
    result.head.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('is reproducible: the same seed gives the same weights, another seed different ones', async () => {
    const weights = async (seed: number): Promise<Float32Array> => {
      const r = await trainHead({ featureDim: DIM, numClasses: 3, train, validation, config: { ...config, seed, epochs: 3 } });
      const w = (await headVariables(r.head).kernel.data()) as Float32Array;
      r.head.dispose();
      return w;
    };
    assert.deepEqual(await weights(5), await weights(5));
    assert.notDeepEqual(await weights(5), await weights(6));
  });

  it('warm-starts from a parent head of the same shape and converges in fewer epochs', async () => {
    const first = await trainHead({ featureDim: DIM, numClasses: 3, train, validation, config });
    const second = await trainHead({ featureDim: DIM, numClasses: 3, train, validation, config, parent: first.head });
    assert.equal(second.warmStarted, true);
    assert.ok(second.history[0].valLoss < first.history[0].valLoss, 'starts where the parent ended');
    const other = await trainHead({ featureDim: DIM, numClasses: 2, train: { features: train.features, labels: train.labels.map((y) => y % 2) }, validation: { features: validation.features, labels: validation.labels.map((y) => y % 2) }, config, parent: first.head });
    assert.equal(other.warmStarted, false);
    for (const m of [first.head, second.head, other.head]) m.dispose();
  });

  it('weights rare classes up, and stops on cancel', async () => {
    assert.deepEqual(balancedClassWeights(Int32Array.of(0, 0, 0, 1), 2, true), [4 / 6, 2]);
    assert.deepEqual(balancedClassWeights(Int32Array.of(0, 0, 0, 1), 2, false), [1, 1]);
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    await assert.rejects(
      trainHead({ featureDim: DIM, numClasses: 3, train, validation, config, signal: controller.signal, onEpoch: () => controller.abort() }),
      (error: Error) => error.name === 'AbortError',
    );
    assert.equal(tf.memory().numTensors, before);
  });

  it('rejects inconsistent inputs and settings with clear messages', async () => {
    await assert.rejects(trainHead({ featureDim: DIM, numClasses: 3, train: { features: new Float32Array(5), labels: Int32Array.of(0) }, validation, config }), /5 floats for 1 rows of 16/);
    await assert.rejects(trainHead({ featureDim: DIM, numClasses: 2, train, validation, config }), /label 2 outside 0..1/);
    assert.throws(() => resolveTrainConfig({ dropout: 1 }), /dropout must be in \[0, 1\)/);
    assert.throws(() => resolveTrainConfig({ epochs: 0 }), /epochs must be a positive integer/);
  });

  it('saves numbered versions with their record and reloads the same head', async () => {
    const state = tempDir('xray-models-');
    try {
      const result = await trainHead({ featureDim: DIM, numClasses: 3, train, validation, config: { ...config, epochs: 2 } });
      const record: Omit<ModelVersionInfo, 'version' | 'modelVersion' | 'createdAt'> = {
        parent: null,
        classes: ['a', 'b', 'c'],
        backbone: { id: 'net@1', digest: 'd', location: '/x', fineTunedBlocks: 0, inputSize: [224, 224], featureDim: DIM, preprocessVersion: 1 },
        trainConfig: config,
        labelsFingerprint: labelsFingerprint([{ hash: 'h1', label: 'a' }]),
        trainedOn: { train: 400, validation: 100, augmentedViews: 0, perClass: {}, groupedBy: null },
        warmStarted: false,
        bestEpoch: result.bestEpoch,
        history: result.history,
        metrics: {} as ModelVersionInfo['metrics'],
      };
      const v1 = await saveVersion(state.root, result.head, record);
      const v2 = await saveVersion(state.root, result.head, { ...record, parent: 1 });
      assert.deepEqual([v1.info.modelVersion, v2.info.modelVersion], [1, 2]);
      assert.deepEqual(await listVersions(state.root), [1, 2]);
      assert.equal((await latestVersion(state.root))?.info.parent, 1);
      const info = await readVersionInfo(v1.dir);
      assert.equal(info.version, 1);
      assert.deepEqual(info.classes, ['a', 'b', 'c']);
      assert.deepEqual(fs.readdirSync(v1.dir).sort(), ['model.json', 'version.json', 'weights.bin']);
      const loaded = await loadHead(v2.dir);
      assert.deepEqual(predictProbabilities(loaded, validation.features, DIM), predictProbabilities(result.head, validation.features, DIM));
      loaded.dispose();
      result.head.dispose();
      await assert.rejects(readVersionInfo(path.join(state.root, 'nope')), /not a model version folder/);
    } finally {
      state.remove();
    }
  });

  it('fingerprints labels independently of order, and sees a relabel', () => {
    const a = labelsFingerprint([{ hash: 'h1', label: 'A' }, { hash: 'h2', label: 'B' }]);
    assert.equal(labelsFingerprint([{ hash: 'h2', label: 'B' }, { hash: 'h1', label: 'A' }]), a);
    assert.notEqual(labelsFingerprint([{ hash: 'h1', label: 'B' }, { hash: 'h2', label: 'B' }]), a);
  });
});
