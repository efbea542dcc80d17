import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDirOf } from '../../../src/dataset';
import { runCli } from '../../support/runCli';
import { BACKBONE_DIR, requireShared } from '../../support/shared';
import { syntheticDataset } from '../ml/mlFixtures';
import type { Fixture } from '../ml/mlFixtures';

const cli = (args: string[]): ReturnType<typeof runCli> => runCli(args, { ...process.env, XRAY_CURATOR_BACKBONE: '' });

describe("xray-curator label --consensus: train learns from the readers' consensus", function () {
  this.timeout(180_000);
  let data: Fixture;

  before(async () => {
    requireShared(BACKBONE_DIR);
    data = await syntheticDataset(8);
  });
  after(() => data.remove());

  const trainedPerClass = async (): Promise<Record<string, number>> => {
    const run = await cli(['train', data.root, '--backbone', BACKBONE_DIR, '--epochs', '2', '--augment-views', '0', '--seed', '1']);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { trainedOn: { perClass: Record<string, number> } }).trainedOn.perClass;
  };

  it('three readers from three processes at once; majority and unanimous give the classes train counts', async () => {
    const items = ['A/img0.png', 'A/img1.png', 'A/img2.png'];
    const sets = (label: string): string[] => items.flatMap((id) => ['--set', `${id}=${label}`]);
    const runs = await Promise.all([
      cli(['label', data.root, '--reader', 'R1', ...sets('B')]),
      cli(['label', data.root, '--reader', 'R2', ...sets('B')]),
      cli(['label', data.root, '--reader', 'R3', ...sets('A')]),
    ]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);

    const majority = await cli(['label', data.root, '--consensus', 'majority']);
    assert.equal(majority.code, 0, majority.stderr);
    assert.match(majority.stdout, /the majority consensus of the readers/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(stateDirOf(data.root), 'readers.json'), 'utf8')), { version: 2, consensus: 'majority', blind: false });
    assert.deepEqual(await trainedPerClass(), { A: 5, B: 11 }, 'two of three readers say B for three A images');

    assert.equal((await cli(['label', data.root, '--consensus', 'unanimous'])).code, 0);
    assert.deepEqual(await trainedPerClass(), { A: 8, B: 8 }, 'the readers disagree on all three: they keep their manifest label');

    assert.equal((await cli(['label', data.root, '--consensus', 'adjudicator:R3'])).code, 0);
    assert.deepEqual(await trainedPerClass(), { A: 8, B: 8 }, 'the adjudicator read them as A');

    const bad = await cli(['label', data.root, '--consensus', 'loudest']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown consensus rule "loudest"/);
    assert.equal((await cli(['label', data.root, '--consensus', 'latest'])).code, 0);
    assert.ok(!fs.existsSync(path.join(stateDirOf(data.root), 'readers.json')));
  });
});
