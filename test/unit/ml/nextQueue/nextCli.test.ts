import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { uncertainty } from '../../../../src/ml/nextQueue/uncertainty';
import { runCli } from '../../../support/runCli';
import { BACKBONE_DIR, requireShared } from '../../../support/shared';
import { syntheticDataset, tempDir } from '../mlFixtures';
import type { Fixture } from '../mlFixtures';

const cli = (args: string[]): ReturnType<typeof runCli> => runCli(args, { ...process.env, XRAY_CURATOR_BACKBONE: '' });

interface NextOutput {
  version: number;
  strategy: string;
  modelVersion: number | null;
  candidates: number;
  items: { id: string; score: number }[];
  skipped: { id: string; reason: string }[];
}

describe('xray-curator next', function () {
  this.timeout(180_000);
  let data: Fixture;
  let out: Fixture;
  const candidates = ['A/img0.png', 'A/img1.png', 'A/img2.png', 'A/img3.png', 'B/img0.png', 'B/img1.png', 'B/img2.png', 'B/img3.png'];

  before(async () => {
    requireShared(BACKBONE_DIR);
    data = await syntheticDataset(8);
    out = tempDir('xray-next-');
    fs.writeFileSync(path.join(out.root, 'candidates.txt'), `# to review\n${candidates.join('\n')}\n`);
  });
  after(() => {
    data.remove();
    out.remove();
  });

  const next = async (...args: string[]): Promise<NextOutput> => {
    const file = path.join(out.root, 'next.json');
    const run = await cli(['next', data.root, '--candidates', path.join(out.root, 'candidates.txt'), '--backbone', BACKBONE_DIR, '--out', file, ...args]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(fs.readFileSync(file, 'utf8')) as NextOutput;
  };

  it('needs predictions for uncertainty', async () => {
    const run = await cli(['next', data.root, '--strategy', 'uncertainty', '--out', path.join(out.root, 'x.json')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no predictions/);
    const bad = await cli(['next', data.root, '--strategy', 'random', '--out', path.join(out.root, 'x.json')]);
    assert.equal(bad.code, 2);
  });

  it('ranks the listed candidates by uncertainty, diversity and both', async () => {
    const train = await cli(['train', data.root, '--backbone', BACKBONE_DIR, '--epochs', '3', '--seed', '1', '--augment-views', '0']);
    assert.equal(train.code, 0, train.stderr);
    const predictionsFile = path.join(out.root, 'predictions.json');
    const predict = await cli(['predict', data.root, '--out', predictionsFile]);
    assert.equal(predict.code, 0, predict.stderr);
    const predictions = JSON.parse(fs.readFileSync(predictionsFile, 'utf8')) as { items: { id: string; probs: number[] }[] };

    const byUncertainty = await next('--strategy', 'uncertainty', '--k', '5', '--predictions', predictionsFile);
    assert.equal(byUncertainty.version, 1);
    assert.equal(byUncertainty.modelVersion, 1);
    assert.equal(byUncertainty.candidates, 8);
    const expected = predictions.items
      .filter((p) => candidates.includes(p.id))
      .map((p) => ({ id: p.id, score: uncertainty(p.probs) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    assert.deepEqual(byUncertainty.items.map((i) => i.id), expected.map((e) => e.id));
    byUncertainty.items.forEach((item, i) => assert.ok(Math.abs(item.score - expected[i].score) < 1e-9));

    const diverse = await next('--strategy', 'diversity', '--k', '8');
    assert.equal(diverse.modelVersion, null);
    assert.deepEqual(diverse.items.map((i) => i.id).sort(), [...candidates].sort());
    // k-center greedy: each pick is at most as far from the chosen set as the one before.
    assert.ok(diverse.items.every((item, i) => i === 0 || item.score <= diverse.items[i - 1].score + 1e-9));
    assert.ok(diverse.items[0].score > 0);

    const mixed = await next('--strategy', 'mixed', '--k', '2', '--predictions', predictionsFile);
    assert.equal(mixed.items.length, 2);
    // Drawn from the 4 × 2 most uncertain: here every candidate; so the same picks as diversity.
    assert.deepEqual(mixed.items, diverse.items.slice(0, 2));
  });
});
