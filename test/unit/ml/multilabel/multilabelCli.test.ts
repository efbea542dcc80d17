import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../support/runCli';
import { BACKBONE_DIR, NIH14_DIR, requireShared } from '../../../support/shared';
import { tempDir } from '../mlFixtures';
import type { Fixture } from '../mlFixtures';

/** A writable copy of the NIH folder: hard links where the file system allows, copies otherwise. */
function nihCopy(target: string): void {
  fs.mkdirSync(path.join(target, 'images'), { recursive: true });
  for (const name of fs.readdirSync(path.join(NIH14_DIR, 'images'))) {
    const from = path.join(NIH14_DIR, 'images', name);
    const to = path.join(target, 'images', name);
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
  fs.copyFileSync(path.join(NIH14_DIR, 'Data_Entry_2017.csv'), path.join(target, 'Data_Entry_2017.csv'));
}

describe('xray-curator train / evaluate on a multi-label folder (NIH layout)', function () {
  this.timeout(120_000);
  let work: Fixture;

  before(() => {
    requireShared(NIH14_DIR);
    work = tempDir('xray-ml-cli-');
    nihCopy(path.join(work.root, 'nih'));
  });
  after(() => work.remove());

  it('trains on the patients of one list and writes per-finding metrics for the others', async () => {
    const root = path.join(work.root, 'nih');
    const lines = fs.readFileSync(path.join(root, 'Data_Entry_2017.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    // Patients split by id parity: no patient on both sides.
    const list = (odd: boolean): string => lines.filter((f) => (Number(f[3]) % 2 === 1) === odd).map((f) => `images/${f[0]}`).join('\n');
    fs.writeFileSync(path.join(work.root, 'train.txt'), list(false));
    fs.writeFileSync(path.join(work.root, 'test.txt'), list(true));

    const train = await runCli(['train', root, '--files', path.join(work.root, 'train.txt'), '--backbone', BACKBONE_DIR, '--findings', 'Pneumonia,Infiltration,Atelectasis', '--seed', '7']);
    assert.equal(train.code, 0, train.stderr);
    const trained = JSON.parse(train.stdout) as { version: number; kind: string; modelVersion: number; dir: string; findings: string[]; metrics: { meanAuc: { estimate: number } } };
    assert.deepEqual([trained.version, trained.kind, trained.modelVersion], [1, 'multilabel', 1]);
    assert.equal(trained.dir, path.join(root, '.xray-curator', 'models-multilabel', 'v1'));
    assert.deepEqual(trained.findings, ['Atelectasis', 'Infiltration', 'Pneumonia']);

    const out = path.join(work.root, 'evaluation.json');
    const evaluate = await runCli(['evaluate', '--model', trained.dir, root, '--files', path.join(work.root, 'test.txt'), '--out', out]);
    assert.equal(evaluate.code, 0, evaluate.stderr);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { version: number; n: number; meanAuc: { estimate: number }; findings: Record<string, unknown>[] };
    assert.equal(report.version, 1);
    assert.equal(report.n, list(true).split('\n').length);
    assert.deepEqual(report.findings.map((f) => f.finding), trained.findings);
    for (const key of ['finding', 'support', 'prevalence', 'auc', 'averagePrecision', 'sensitivity', 'specificity', 'threshold']) assert.ok(key in report.findings[0], key);
    assert.deepEqual(Object.keys(report.findings[0].auc as object), ['estimate', 'low', 'high']);
    const pneumonia = report.findings.find((f) => f.finding === 'Pneumonia') as { auc: { estimate: number } };
    assert.ok(pneumonia.auc.estimate > 0.55, `held-out Pneumonia AUC ${pneumonia.auc.estimate}`);
    process.stderr.write(`      held-out patients: ${report.findings.map((f) => `${String(f.finding)} AUC ${(f.auc as { estimate: number }).estimate.toFixed(3)}`).join(', ')}; mean ${report.meanAuc.estimate.toFixed(3)}\n`);

    const wrong = await runCli(['train', root, '--classes', 'A,B', '--backbone', BACKBONE_DIR]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--classes does not apply to a multi-label dataset/);
  });

  it('fine-tunes with --fine-tune-blocks, evaluates through the version\'s own backbone, and the next train starts from the base one', async function () {
    this.timeout(300_000);
    const root = path.join(work.root, 'nih');
    const args = ['--files', path.join(work.root, 'train.txt'), '--findings', 'Pneumonia,Infiltration,Atelectasis', '--seed', '7'];
    const train = await runCli(['train', root, ...args, '--backbone', BACKBONE_DIR, '--fine-tune-blocks', '1']);
    assert.equal(train.code, 0, train.stderr);
    const trained = JSON.parse(train.stdout) as { modelVersion: number; dir: string; backbone: string };
    assert.equal(trained.modelVersion, 2);
    assert.match(trained.backbone, /-ft1@/);
    assert.ok(fs.existsSync(path.join(trained.dir, 'backbone', 'model.json')));

    const out = path.join(work.root, 'evaluation-ft.json');
    const evaluate = await runCli(['evaluate', '--model', trained.dir, root, '--files', path.join(work.root, 'test.txt'), '--out', out]);
    assert.equal(evaluate.code, 0, evaluate.stderr);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { modelVersion: number; n: number; meanAuc: { estimate: number } };
    assert.deepEqual([report.modelVersion, report.n], [2, fs.readFileSync(path.join(work.root, 'test.txt'), 'utf8').split('\n').length]);
    assert.ok(report.meanAuc.estimate > 0.5, `fine-tuned held-out mean AUC ${report.meanAuc.estimate}`);
    process.stderr.write(`      held-out patients after fine-tuning the last block: mean AUC ${report.meanAuc.estimate.toFixed(3)}\n`);

    const next = await runCli(['train', root, ...args]);
    assert.equal(next.code, 0, next.stderr);
    const plain = JSON.parse(next.stdout) as { modelVersion: number; backbone: string };
    assert.equal(plain.modelVersion, 3);
    assert.doesNotMatch(plain.backbone, /-ft/, 'a new version starts from the base backbone');
  });
});
