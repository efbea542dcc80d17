import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { reportCommand } from '../../../src/cli/report';
import { UsageError } from '../../../src/cli/command';
import { buildReport, parseReport, writeReport } from '../../../src/ml/report';
import { makeClassFolders, makeTempDir, removeTempDirs, writeFile } from '../dataset/fixtures';
import { TWO_CLASSES, twoClassItems } from './reportFixtures';

/** Runs the command with stdout and stderr captured. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const originals = [stdout.write, stderr.write];
  stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof stdout.write;
  stderr.write = ((chunk: string) => err.push(chunk) > 0) as typeof stderr.write;
  try {
    return { code: await reportCommand.run(args), out: out.join(''), err: err.join('') };
  } finally {
    [stdout.write, stderr.write] = originals;
  }
}

/** Five COVID and five NORMAL images, a manifest with sources and patients, and the two-class predictions. */
async function makeDataset(): Promise<{ root: string; predictions: string }> {
  const root = await makeTempDir('xray-report-cli-');
  await makeClassFolders(root, { COVID: 5, NORMAL: 6 });
  const items = twoClassItems();
  const ids = items.map((item) => `${item.label}/img${item.id.replace(/\D/g, '')}.png`);
  const manifest = ['path,label,source,patient_id', ...ids.map((id, i) => `${id},${id.split('/')[0]},${i % 2 === 0 ? 'siteA' : 'siteB'},p${i}`)];
  await writeFile(root, 'manifest.csv', `${manifest.join('\n')}\n`);
  const predictions = path.join(root, 'predictions.json');
  // NORMAL/img5.png has no prediction; an extra id is not in the dataset.
  const predicted = [...items.map((item, i) => ({ id: ids[i], probs: item.probs })), { id: 'gone.png', probs: [0.5, 0.5] }];
  await fs.writeFile(predictions, JSON.stringify({ version: 1, modelVersion: 2, classes: TWO_CLASSES, items: predicted, errors: [] }));
  return { root, predictions };
}

describe('report: command line', () => {
  after(removeTempDirs);

  it('writes the JSON report of a predictions file, with the items it could not use named', async () => {
    const { root, predictions } = await makeDataset();
    const out = path.join(root, 'out', 'report.json');
    const result = await run([root, '--predictions', predictions, '--format', 'json', '--out', out]);
    assert.equal(result.code, 0, result.err);
    const report = parseReport(await fs.readFile(out, 'utf8'));
    assert.equal(report.model.version, 'v2');
    assert.deepEqual(report.evaluation.confusion, [[4, 1], [1, 4]]);
    assert.equal(report.thresholds.positiveClass, 'COVID');
    assert.deepEqual(report.sources?.map((s) => s.source), ['siteA', 'siteB']);
    assert.equal(report.evaluation.bootstrap?.unit, 'group');
    assert.match(result.out, /model v2, 10 items: balanced accuracy 0\.800/);
    assert.match(result.err, /1 items without a prediction left out/);
    assert.match(result.err, /including those the model was trained on/);
  });

  it('writes Markdown and HTML, compares with the saved report of the parent, and saves all three with --save', async () => {
    const { root, predictions } = await makeDataset();
    const stateDir = path.join(root, '.xray-curator');
    // The version folder of v2 says its parent is v1; a report of v1 is saved.
    await writeFile(stateDir, 'models/v2/version.json', JSON.stringify({
      version: 1, modelVersion: 2, parent: 1, createdAt: '2026-11-26T09:00:00.000Z', classes: TWO_CLASSES,
      backbone: { id: 'mobilenet@1234', digest: 'x', location: '/nowhere', inputSize: [224, 224], featureDim: 1280, preprocessVersion: 1 },
    }));
    const parent = buildReport({ classes: TWO_CLASSES, items: twoClassItems({ worse: true }), model: { version: 'v1' } }, { bootstrap: false });
    await writeReport(path.join(stateDir, 'reports'), parent);

    const md = path.join(root, 'report.md');
    assert.equal((await run([root, '--predictions', predictions, '--format', 'md', '--out', md])).code, 0);
    const text = await fs.readFile(md, 'utf8');
    assert.match(text, /^- \*\*Trained from:\*\* v1$/m);
    assert.match(text, /^- \*\*Backbone:\*\* mobilenet@1234$/m);
    assert.match(text, /^## Change against v1$/m);
    assert.match(text, /^\| Accuracy \| 0\.70 \| 0\.80 \(0\.\d\d–1\.00\) \| \+0\.100 \|$/m);

    const html = path.join(root, 'report.html');
    const saved = await run([root, '--predictions', predictions, '--format', 'html', '--out', html, '--save']);
    assert.equal(saved.code, 0, saved.err);
    assert.match(await fs.readFile(html, 'utf8'), /^<!DOCTYPE html>[\s\S]*<svg[\s\S]*Change against v1/);
    const files = (await fs.readdir(path.join(stateDir, 'reports'))).filter((f) => f.startsWith('report-v2-'));
    assert.deepEqual(files.map((f) => path.extname(f)).sort(), ['.html', '.json', '.md']);
  });

  it('refuses bad arguments', async () => {
    const { root, predictions } = await makeDataset();
    await assert.rejects(reportCommand.run([root, '--predictions', predictions, '--format', 'pdf', '--out', 'x']), UsageError);
    await assert.rejects(reportCommand.run([root, '--predictions', predictions, '--format', 'md']), /missing --out/);
    await assert.rejects(reportCommand.run([root, '--model', 'm', '--predictions', predictions, '--format', 'md', '--out', 'x']), /not both/);
    await fs.writeFile(predictions, JSON.stringify({ version: 9, items: [] }));
    await assert.rejects(reportCommand.run([root, '--predictions', predictions, '--format', 'md', '--out', 'x']), /not a predictions file of format version 1/);
    await assert.rejects(reportCommand.run([root, '--format', 'md', '--out', 'x']), /no model trained yet.*--predictions FILE/);
  });
});
