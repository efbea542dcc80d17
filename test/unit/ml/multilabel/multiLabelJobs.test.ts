import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDirOf } from '../../../../src/dataset';
import { retrainDataset, scoreDataset } from '../../../../src/ml/jobs/datasetJobs';
import type { JobContext } from '../../../../src/ml/jobs/jobContext';
import type { MultiLabelRetrainSummary } from '../../../../src/ml/jobs/multiLabelJobs';
import * as tf from '@tensorflow/tfjs';
import { findingPredictionsPath, latestFindingPredictions } from '../../../../src/ml/multilabel/findingPredictions';
import { explainImage } from '../../../../src/ml/saliency';
import { mirrorFolder } from '../../../support/mirror';
import type { Mirror } from '../../../support/mirror';
import { BACKBONE_DIR, NIH14_DIR, requireShared } from '../../../support/shared';

// What Retrain Model and Score Dataset do on NIH's own folder (the jobs the extension runs in a worker thread).
describe('Retrain Model and Score Dataset on a multi-label dataset (../shared/data/nih14-multilabel)', function () {
  this.timeout(300_000);
  let nih: Mirror;
  const progress: string[] = [];
  const ctx: JobContext = { signal: new AbortController().signal, progress: ({ message }) => void (message && progress.push(message)) };

  before(() => {
    nih = mirrorFolder(NIH14_DIR, { readOnly: true });
  });
  after(() => nih?.remove());

  it('trains the findings, writes every item\'s probabilities and the per-finding report', async () => {
    const summary = (await retrainDataset({ root: nih.root, backbone: requireShared(BACKBONE_DIR) }, ctx)) as MultiLabelRetrainSummary;
    assert.equal(summary.kind, 'findings');
    assert.equal(summary.modelVersion, 1);
    assert.equal(summary.parent, null);
    assert.deepEqual(summary.findings, ['Atelectasis', 'Edema', 'Effusion', 'Infiltration', 'Pneumonia']);
    assert.ok(summary.leftOut.some((l) => l.finding === 'Hernia'));
    assert.ok(summary.meanAuc.estimate! > 0.5 && summary.meanAuc.low! <= summary.meanAuc.estimate! && summary.meanAuc.estimate! <= summary.meanAuc.high!);
    assert.equal(summary.items, 321);
    assert.equal(summary.predicted, 321);
    assert.ok(progress.some((m) => m.startsWith('training the head')), progress.join(' | '));

    const file = await latestFindingPredictions(nih.root);
    assert.ok(file, 'findings predictions written');
    assert.equal(file.modelVersion, 1);
    assert.deepEqual(file.findings, summary.findings);
    assert.equal(file.thresholds.length, 5);
    assert.equal(file.items.length, 321);
    assert.ok(file.items.every((item) => item.probs.length === 5 && item.probs.every((p) => p >= 0 && p <= 1)));
    assert.ok(!file.items[0].id.startsWith('/') && file.items.some((item) => item.id === 'images/00000150_002.png'));
    assert.ok(!fs.existsSync(path.join(stateDirOf(nih.root), 'predictions', 'v1.json')), 'no single-label predictions file for it');

    const html = fs.readFileSync(summary.report, 'utf8');
    for (const finding of summary.findings) assert.ok(html.includes(finding), finding);
    assert.ok(html.includes(summary.meanAuc.estimate!.toFixed(2)), 'mean AUC in the report');
  });

  it('a second retrain warm-starts from the first; Score Dataset re-scores with the newest', async () => {
    const second = (await retrainDataset({ root: nih.root, backbone: requireShared(BACKBONE_DIR) }, ctx)) as MultiLabelRetrainSummary;
    assert.equal(second.modelVersion, 2);
    assert.equal(second.parent, 1);
    assert.equal(second.warmStarted, true);
    assert.ok(fs.readFileSync(second.report, 'utf8').includes('v1'), 'the change against the parent');
    fs.rmSync(findingPredictionsPath(nih.root, 2));
    const scored = await scoreDataset({ root: nih.root, backbone: requireShared(BACKBONE_DIR) }, ctx);
    assert.equal(scored.modelVersion, 2);
    assert.equal(scored.predicted, 321);
    assert.equal((await latestFindingPredictions(nih.root))!.modelVersion, 2);
    assert.equal(await latestFindingPredictions(nih.root, 'v2'), undefined, 'the version shown is not parsed again');
  });

  it('explains one finding with Grad-CAM under the findings model, without leaking tensors', async () => {
    const versionDir = path.join(stateDirOf(nih.root), 'models-multilabel', 'v2');
    const file = path.join(nih.root, 'images', '00000150_002.png');
    const before = tf.memory().numTensors;
    const map = await explainImage({ file, versionDir, finding: 'Pneumonia' });
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    assert.deepEqual([map.model, map.className, map.modelVersion, map.width, map.height], ['findings', 'Pneumonia', 2, 56, 56]);
    assert.equal(map.values.length, 56 * 56);
    assert.ok(map.values.every((v) => v >= 0 && v <= 1) && Math.max(...map.values) === 1, 'scaled to a maximum of 1');
    // The probability is the findings model's for this image, as Score Dataset wrote it.
    const scored = (await latestFindingPredictions(nih.root))!;
    const row = scored.items.find((item) => item.id === 'images/00000150_002.png')!;
    assert.ok(Math.abs(map.probability - row.probs[scored.findings.indexOf('Pneumonia')]) < 1e-4, `${map.probability} vs ${row.probs[scored.findings.indexOf('Pneumonia')]}`);
    // Another finding's map differs: each is that finding's own evidence.
    const edema = await explainImage({ file, versionDir, finding: 'Edema' });
    assert.notDeepEqual(edema.values, map.values);
    await assert.rejects(explainImage({ file, versionDir, finding: 'Hernia' }), /findings model v2 was not trained on Hernia/);
  });

  it('refuses a damaged findings predictions file with its path, rather than showing wrong colours', async () => {
    const target = findingPredictionsPath(nih.root, 9);
    fs.writeFileSync(target, JSON.stringify({ version: 1, kind: 'findings', modelVersion: 9, findings: ['A'], thresholds: [0.5], items: [{ id: 'x', probs: [0.1, 0.2] }] }));
    try {
      await assert.rejects(latestFindingPredictions(nih.root), new RegExp(`${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a findings predictions file`));
    } finally {
      fs.rmSync(target);
    }
  });

  it('Fine-Tune Backbone trains the last block with the findings head, saves that backbone, and scores through it', async () => {
    const before = (await latestFindingPredictions(nih.root))!;
    const summary = (await retrainDataset({ root: nih.root, backbone: requireShared(BACKBONE_DIR), train: { fineTuneBlocks: 1, fineTuneEpochs: 1 } }, ctx)) as MultiLabelRetrainSummary;
    assert.equal(summary.kind, 'findings');
    assert.equal(summary.modelVersion, 3);
    assert.ok(progress.some((m) => m.startsWith('training the head')));
    const versionDir = path.join(stateDirOf(nih.root), 'models-multilabel', 'v3');
    const info = JSON.parse(fs.readFileSync(path.join(versionDir, 'version.json'), 'utf8')) as { backbone: { fineTunedBlocks?: number; location: string; digest: string; fineTunedFrom?: { digest: string } }; trainConfig: { fineTuneBlocks: number } };
    assert.equal(info.backbone.fineTunedBlocks, 1);
    assert.equal(info.backbone.location, 'backbone');
    assert.equal(info.trainConfig.fineTuneBlocks, 1);
    assert.ok(fs.existsSync(path.join(versionDir, 'backbone', 'model.json')), 'the fine-tuned backbone is saved with the version');
    assert.notEqual(info.backbone.digest, info.backbone.fineTunedFrom?.digest);
    // Every item is scored through the fine-tuned backbone: the probabilities are v3's, not v2's head on old features.
    const after = (await latestFindingPredictions(nih.root))!;
    assert.equal(after.modelVersion, 3);
    assert.equal(after.items.length, 321);
    assert.equal(summary.predicted, 321);
    const previous = new Map(before.items.map((item) => [item.id, item.probs]));
    assert.ok(after.items.some((item) => item.probs.some((p, f) => Math.abs(p - previous.get(item.id)![before.findings.indexOf(after.findings[f])]) > 1e-3)), 'probabilities changed');
    // Score Dataset later opens the version's own backbone (the configured one would not match its digest).
    fs.rmSync(findingPredictionsPath(nih.root, 3));
    const scored = await scoreDataset({ root: nih.root, backbone: requireShared(BACKBONE_DIR) }, ctx);
    assert.equal(scored.modelVersion, 3);
    assert.equal(scored.predicted, 321);
    const again = (await latestFindingPredictions(nih.root))!;
    const first = new Map(after.items.map((item) => [item.id, item.probs]));
    assert.ok(again.items.every((item) => item.probs.every((p, f) => Math.abs(p - first.get(item.id)![f]) < 1e-4)), 'the same probabilities as the retrain wrote');
  });
});
