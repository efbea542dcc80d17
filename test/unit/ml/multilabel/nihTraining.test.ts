import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { openDataset } from '../../../../src/dataset';
import type { Dataset } from '../../../../src/dataset';
import { evaluateMultiLabelItems } from '../../../../src/ml/multilabel/evaluateMultiLabel';
import { trainMultiLabel } from '../../../../src/ml/multilabel/trainMultiLabel';
import { readMultiLabelValidation, readMultiLabelVersion } from '../../../../src/ml/multilabel/versionStore';
import { MlSession } from '../../../../src/ml/session';
import { mirrorFolder } from '../../../support/mirror';
import type { Mirror } from '../../../support/mirror';
import { BACKBONE_DIR, NIH14_DIR, requireShared } from '../../../support/shared';

describe('multi-label training on ../shared/data/nih14-multilabel (a read-only mirror: state in the user cache)', function () {
  this.timeout(120_000);
  let dataset: Dataset;
  let session: MlSession;
  let nih: Mirror;

  before(async () => {
    nih = mirrorFolder(NIH14_DIR, { readOnly: true });
    dataset = await openDataset(nih.root);
    session = await MlSession.open(nih.root, { backbone: requireShared(BACKBONE_DIR) });
  });
  after(async () => {
    await session?.close();
    nih?.remove();
  });

  it('trains the findings with enough positives on a patient-grouped split, reports the others, leaks no tensors', async () => {
    assert.ok(!session.stateDir.startsWith(nih.root), 'state stays out of the read-only folder');
    const before = tf.memory().numTensors;
    const version = await trainMultiLabel(session, dataset.items, { findings: dataset.multiLabel!.findings });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    const { info } = version;
    assert.equal(info.kind, 'multilabel');
    assert.equal(info.version, 1);
    assert.deepEqual(info.findings, ['Atelectasis', 'Edema', 'Effusion', 'Infiltration', 'Pneumonia']);
    assert.deepEqual(info.leftOut.find((l) => l.finding === 'Hernia'), { finding: 'Hernia', positives: 0, reason: '0 positive label(s), fewer than 10' });
    assert.equal(info.leftOut.length, 9);
    assert.equal(info.trainedOn.split, 'iterative');
    assert.equal(info.trainedOn.groupedBy, 'patient_id');
    assert.equal(info.trainedOn.train + info.trainedOn.validation, 321);
    assert.equal(info.trainedOn.perFinding.Pneumonia.positives, 121);

    const validation = await readMultiLabelValidation(version.dir);
    const patientOf = new Map(dataset.items.map((item) => [item.id, item.metadata.patient_id]));
    const validationPatients = new Set(validation.ids.map((id) => patientOf.get(id)));
    const trainPatients = dataset.items.filter((item) => !validation.ids.includes(item.id)).map((item) => item.metadata.patient_id);
    assert.ok(trainPatients.every((p) => !validationPatients.has(p)), 'a patient on both sides');
    for (const finding of info.findings) {
      const m = info.metrics.findings.find((e) => e.finding === finding)!;
      assert.ok(m.positives >= 1 && m.support === validation.ids.length, finding);
      assert.ok(m.auc.low! <= m.auc.estimate! && m.auc.estimate! <= m.auc.high!, `${finding} interval`);
      assert.equal(m.threshold, info.thresholds[info.findings.indexOf(finding)]);
      assert.equal(m.thresholdMethod, 'youden');
    }
    const pneumonia = info.metrics.findings.find((e) => e.finding === 'Pneumonia')!;
    assert.ok(pneumonia.auc.estimate! > 0.6, `Pneumonia AUC ${pneumonia.auc.estimate}`);
    assert.ok(info.metrics.meanAuc.estimate! > 0.6, `mean AUC ${info.metrics.meanAuc.estimate}`);
    assert.equal((await readMultiLabelVersion(version.dir)).info.modelVersion, info.modelVersion);
  });

  it('retrains warm-started from the previous version after a corrected finding, and evaluates at its thresholds', async () => {
    const previous = dataset.items.find((item) => item.id === 'images/00000150_002.png')!;
    previous.findings = { ...previous.findings!, Pneumonia: 'negative' };
    const first = await readMultiLabelVersion(`${session.stateDir}/models-multilabel/v1`);
    const second = await trainMultiLabel(session, dataset.items, { findings: dataset.multiLabel!.findings, config: { findings: ['Pneumonia', 'Edema'] } });
    assert.equal(second.info.parent, first.info.modelVersion);
    assert.deepEqual(second.info.findings, ['Edema', 'Pneumonia']);
    assert.deepEqual(second.info.warmStarted, ['Edema', 'Pneumonia']);
    assert.notEqual(second.info.labelsFingerprint, first.info.labelsFingerprint);
    assert.ok(fs.existsSync(`${second.dir}/model.json`));

    const report = await evaluateMultiLabelItems(session, first, dataset.items, { bootstrapIterations: 100 });
    assert.equal(report.n, 321);
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.findings.map((f) => f.threshold), first.info.thresholds);
    assert.equal(report.findings.find((f) => f.finding === 'Pneumonia')!.positives, 120);
    assert.equal(report.cooccurrence.counts[4][4], 120, 'Pneumonia on the diagonal');
  });
});
