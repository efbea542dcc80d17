import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { openDataset } from '../../../src/dataset';
import { backboneLocation, latestVersion } from '../../../src/ml/modelStore';
import { evaluateItems, predictItems } from '../../../src/ml/predictItems';
import { MlSession } from '../../../src/ml/session';
import { trainModel } from '../../../src/ml/trainModel';
import { BACKBONE_DIR, requireShared } from '../../support/shared';
import { syntheticDataset, syntheticImage } from './mlFixtures';
import type { Fixture } from './mlFixtures';

describe('ml/session: train, retrain, predict, evaluate on a generated dataset', function () {
  this.timeout(120_000);
  let data: Fixture;
  let other: Fixture;
  let session: MlSession;
  const config = { epochs: 40, learningRate: 0.01, augmentViews: 1, seed: 3 };

  before(async () => {
    data = await syntheticDataset(12);
    other = await syntheticDataset(6, 1000);
    fs.mkdirSync(path.join(other.root, 'C'));
    fs.writeFileSync(path.join(other.root, 'C', 'x.png'), await syntheticImage('A', 77));
    session = await MlSession.open(data.root, { backbone: requireShared(BACKBONE_DIR), workers: 1 });
  });
  after(async () => {
    await session.close();
    data.remove();
    other.remove();
  });

  it('trains v1 with a patient-grouped split, augmented views and validation metrics', async () => {
    const dataset = await openDataset(data.root);
    const phases = new Set<string>();
    const before = tf.memory().numTensors;
    const v1 = await trainModel(session, dataset.items, { config, onProgress: (p) => phases.add(p.phase) });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual([...phases].sort(), ['embed', 'train']);
    const { info } = v1;
    assert.equal(info.modelVersion, 1);
    assert.equal(info.parent, null);
    assert.deepEqual(info.classes, ['A', 'B']);
    assert.equal(info.trainedOn.groupedBy, 'patient_id');
    assert.equal(info.trainedOn.train + info.trainedOn.validation, 24);
    assert.equal(info.trainedOn.augmentedViews, info.trainedOn.train);
    assert.equal(info.backbone.featureDim, 1280);
    assert.match(info.labelsFingerprint, /^[0-9a-f]{64}$/);
    assert.ok(info.metrics.n === info.trainedOn.validation && info.metrics.accuracy.estimate !== null);
    // Every image and every augmented view is in the cache now.
    assert.equal(session.cache.size, 24 + info.trainedOn.train);
  });

  it('retrains from cached features only, warm-started from v1', async () => {
    const dataset = await openDataset(data.root);
    const cached = session.cache.size;
    const v2 = await trainModel(session, dataset.items, { config });
    assert.equal(session.cache.size, cached, 'nothing embedded twice');
    assert.equal(v2.info.modelVersion, 2);
    assert.equal(v2.info.parent, 1);
    assert.equal(v2.info.warmStarted, true);
  });

  it('reproduces a training run from its seed', async () => {
    const dataset = await openDataset(data.root);
    const a = await trainModel(session, dataset.items, { config: { ...config, warmStart: false } });
    const b = await trainModel(session, dataset.items, { config: { ...config, warmStart: false } });
    assert.deepEqual(b.info.history, a.info.history);
    assert.deepEqual(b.info.metrics.confusion, a.info.metrics.confusion);
    assert.equal(b.info.labelsFingerprint, a.info.labelsFingerprint);
    fs.rmSync(a.dir, { recursive: true });
    fs.rmSync(b.dir, { recursive: true });
  });

  it('predicts every item with probabilities, confidence, margin and entropy', async () => {
    const dataset = await openDataset(data.root);
    const before = tf.memory().numTensors;
    const version = (await latestVersion(session.stateDir))!;
    const predictions = await predictItems(session, version, dataset.items);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(predictions.version, 1);
    assert.equal(predictions.modelVersion, 2);
    assert.equal(predictions.items.length, 24);
    const right = predictions.items.filter((p) => p.predicted === p.id.split('/')[0]).length;
    assert.ok(right >= 22, `${right}/24 right`);
    for (const p of predictions.items) {
      assert.ok(Math.abs(p.probs[0] + p.probs[1] - 1) < 1e-5);
      assert.equal(p.confidence, Math.max(...p.probs));
      assert.ok(p.margin >= 0 && p.entropy >= 0 && p.entropy <= 1);
    }
  });

  it('evaluates on another folder with a per-source breakdown and lists what it skipped', async () => {
    const otherSession = await MlSession.open(other.root, { backbone: BACKBONE_DIR, workers: 1 });
    try {
        const version = (await latestVersion(session.stateDir))!;
      const report = await evaluateItems(otherSession, version, (await openDataset(other.root)).items);
      assert.equal(report.n, 12);
      assert.deepEqual(Object.keys(report.bySource ?? {}).sort(), ['s1', 's2']);
      assert.equal(report.bySource!.s1.n + report.bySource!.s2.n, 12);
      assert.deepEqual(report.skipped.map((s) => s.id), ['C/x.png']);
      assert.match(report.skipped[0].reason, /not a class of the model/);
      assert.ok((report.overall.accuracy.estimate ?? 0) >= 0.8);
    } finally {
      await otherSession.close();
    }
  });

  it('refuses a class list with fewer than two usable classes', async () => {
    const dataset = await openDataset(data.root);
    await assert.rejects(trainModel(session, dataset.items, { classes: ['A'], config }), /at least 2 classes/);
    await assert.rejects(trainModel(session, dataset.items, { classes: ['A', 'Z'], config }), /class Z has 0 usable/);
  });

  it('fine-tunes the last backbone block, saves it with the version, and predicts with it', async () => {
    const dataset = await openDataset(data.root);
    const before = tf.memory().numTensors;
    const version = await trainModel(session, dataset.items, { config: { ...config, augmentViews: 0, fineTuneBlocks: 1 } });
    assert.equal(tf.memory().numTensors, before);
    const { backbone } = version.info;
    assert.equal(backbone.fineTunedBlocks, 1);
    assert.equal(backbone.location, 'backbone');
    assert.equal(backbone.fineTunedFrom?.digest, session.backbone.digest);
    assert.match(backbone.id, /^mobilenet_v2_0\.35_224-ft1@/);
    assert.notEqual(backbone.digest, session.backbone.digest);
    await assert.rejects(predictItems(session, version, dataset.items), /was trained on backbone .*-ft1@/);
    const tuned = await MlSession.open(data.root, { backbone: backboneLocation(version), sha256: backbone.digest, workers: 1 });
    try {
      const predictions = await predictItems(tuned, version, dataset.items);
      assert.equal(predictions.items.length, 24);
      assert.ok(predictions.items.filter((p) => p.predicted === p.id.split('/')[0]).length >= 20);
    } finally {
      await tuned.close();
    }
  });
});
