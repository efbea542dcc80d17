import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../../../src/ml/engine';
import { JobCancelledError } from '../../../../src/ml/jobs/jobContext';
import { stateDirOf } from '../../../../src/ml/session';
import { regionSearchJob } from '../../../../src/ml/region/regionJob';
import type { RegionSearchParams } from '../../../../src/ml/region/regionJob';
import { boxCells } from '../../../../src/ml/region/regionSearch';
import type { RegionBox } from '../../../../src/shared/protocol';
import { seededRandom, shuffled } from '../../../../src/ml/splits';
import { boxesOverlap, plantMarker } from '../../../support/plantMarker';
import { BACKBONE_DIR, CXR_DIR, requireShared } from '../../../support/shared';
import { linkOrCopy } from '../../../support/mirror';
import { runCli } from '../../../support/runCli';
import { tempDir } from '../mlFixtures';
import type { Fixture } from '../mlFixtures';

const PLANTED = 8;
const OTHERS = 150;

// The acceptance's "L" marker: letters burned into real chest X-rays of every source are found from a box drawn on
// one of them, among their own unmarked originals and 150 other films, and the match is where the letter is.
describe('ml/region: find this region on real chest X-rays with planted markers', function () {
  this.timeout(300_000);
  let fixture: Fixture;
  let params: RegionSearchParams;
  const truth = new Map<string, RegionBox>();
  const ctx = { signal: new AbortController().signal, progress: () => undefined };

  before(async () => {
    await initEngine(['wasm']);
    const rows = fs.readFileSync(path.join(requireShared(CXR_DIR), 'manifest.csv'), 'utf8').trim().split('\n').slice(1);
    const random = seededRandom(11);
    const picked = shuffled(rows, random).slice(0, PLANTED + OTHERS).map((row) => row.slice(0, row.indexOf(',')));
    fixture = tempDir('region');
    fs.mkdirSync(path.join(fixture.root, 'ALL'));
    const items: RegionSearchParams['items'] = [];
    const add = (id: string, file: string): void => {
      items.push({ id, hash: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'), path: file });
    };
    for (const [i, rel] of picked.entries()) {
      const source = path.join(CXR_DIR, rel);
      add(rel, source);
      if (i >= PLANTED) continue;
      const id = `ALL/marked-${i}.png`;
      truth.set(id, await plantMarker(source, path.join(fixture.root, id), random));
      add(id, path.join(fixture.root, id));
    }
    params = { root: fixture.root, items, queryId: 'ALL/marked-0.png', box: truth.get('ALL/marked-0.png')!, k: 2 * (PLANTED - 1), backbone: requireShared(BACKBONE_DIR) };
  });
  after(() => fixture?.remove());

  it('ranks most other marked films in the top 2× (chance: 1 in 20), at the letter, and reads the maps from its cache the next time', async () => {
    const tensors = tf.memory().numTensors;
    const first = await regionSearchJob(params, ctx);
    assert.equal(first.searched, PLANTED * 2 + OTHERS);
    assert.equal(first.computed, PLANTED * 2 + OTHERS);
    assert.deepEqual(first.unreadable, []);
    const hits = first.matches.filter((m) => truth.has(m.id));
    assert.ok(hits.length >= 4, `only ${hits.length} of ${PLANTED - 1} marked films in the top ${params.k}: ${first.matches.map((m) => m.id).join(', ')}`);
    const atTheLetter = hits.filter((m) => boxesOverlap(m.box, truth.get(m.id)!));
    assert.ok(atTheLetter.length >= hits.length - 1, `matched away from the letter: ${JSON.stringify(hits)}`);
    assert.ok(first.matches.every((m, i) => i === 0 || m.similarity <= first.matches[i - 1].similarity), 'best first');

    const again = await regionSearchJob(params, ctx);
    assert.equal(again.computed, 0, 'maps read from the cache');
    assert.deepEqual(again.matches.map((m) => m.id), first.matches.map((m) => m.id));
    assert.equal(tf.memory().numTensors, tensors, 'no tensor left behind');
  });

  it('survives a kill mid-write (a short last record), says which files it cannot read, and stops when cancelled', async () => {
    const dir = path.join(stateDirOf(fixture.root), 'region-maps');
    const file = path.join(dir, fs.readdirSync(dir)[0], 'maps.bin');
    fs.truncateSync(file, fs.statSync(file).size - 100);
    fs.writeFileSync(path.join(fixture.root, 'ALL', 'broken.png'), 'not an image');
    const withBroken = { ...params, items: [...params.items, { id: 'ALL/broken.png', hash: 'ab'.repeat(32), path: path.join(fixture.root, 'ALL', 'broken.png') }] };
    const answer = await regionSearchJob(withBroken, ctx);
    assert.equal(answer.computed, 2, 'the cut record and the broken file');
    assert.equal(answer.unreadable.length, 1);
    assert.match(answer.unreadable[0].error, /broken|not|unknown|image/i);
    assert.equal(answer.searched, PLANTED * 2 + OTHERS);

    const cancelled = new AbortController();
    cancelled.abort();
    await assert.rejects(regionSearchJob(params, { ...ctx, signal: cancelled.signal }), JobCancelledError);
    await assert.rejects(regionSearchJob({ ...params, queryId: 'nope' }, ctx), /has no content hash/);
  });

  it('answers `xray-curator similar --region` from the command line, and refuses a box outside the image', async () => {
    const dataset = tempDir('region-cli');
    try {
      fs.mkdirSync(path.join(dataset.root, 'ALL'));
      for (const [i, item] of params.items.slice(0, 40).entries()) linkOrCopy(item.path, path.join(dataset.root, 'ALL', truth.has(item.id) ? path.basename(item.id) : `film-${i}.png`));
      const out = path.join(dataset.root, 'region.json');
      const box = truth.get('ALL/marked-0.png')!;
      const run = await runCli(['similar', dataset.root, 'ALL/marked-0.png', '--region', [box.x, box.y, box.w, box.h].join(','), '--k', '7', '--backbone', BACKBONE_DIR, '--out', out]);
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { version: number; region: RegionBox; neighbours: { id: string; similarity: number; box: RegionBox }[] };
      assert.equal(result.version, 1);
      assert.deepEqual(result.region, box);
      assert.equal(result.neighbours.length, 7);
      const marked = result.neighbours.filter((n) => /marked-/.test(n.id));
      assert.ok(marked.length >= 3, `marked films in the top 7: ${result.neighbours.map((n) => n.id).join(', ')}`);
      assert.ok(marked.filter((n) => boxesOverlap(n.box, truth.get(n.id)!)).length >= marked.length - 1, `matched away from the letter: ${JSON.stringify(marked)}`);
      const bad = await runCli(['similar', dataset.root, 'ALL/marked-0.png', '--region', '0.9,0.9,0.2,0.2', '--backbone', BACKBONE_DIR, '--out', out]);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /--region must be X,Y,W,H in fractions of the image, inside it/);
    } finally {
      dataset.remove();
    }
  });

  it('turns a box into at least 2 × 2 cells inside the map, however small or near the edge', () => {
    assert.deepEqual(boxCells({ x: 0.99, y: 0.99, w: 0.001, h: 0.001 }, 56), { x0: 54, y0: 54, w: 2, h: 2 });
    assert.deepEqual(boxCells({ x: 0.1, y: 0.2, w: 0.1, h: 0.1 }, 56), { x0: 5, y0: 11, w: 7, h: 6 });
  });
});
