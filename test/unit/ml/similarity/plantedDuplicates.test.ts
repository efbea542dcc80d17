import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { openDataset } from '../../../../src/dataset';
import type { DatasetItem } from '../../../../src/dataset';
import { MlSession } from '../../../../src/ml/session';
import { itemVectors } from '../../../../src/ml/similarity/datasetVectors';
import { SimilarityIndex } from '../../../../src/ml/similarity/similarityIndex';
import { selectVectors } from '../../../../src/ml/similarity/vectors';
import { runCli } from '../../../support/runCli';
import { BACKBONE_DIR, CXR_DIR, requireShared } from '../../../support/shared';

const COPIES = ['jpeg', 'small', 'crop'] as const;

/** Writes the three planted copies of one film: re-encoded (JPEG q70), resized (0.7×), cropped (5% off each side pair). */
async function plantCopies(file: string, root: string, name: string): Promise<void> {
  const { width, height } = await sharp(file).metadata();
  await sharp(file).jpeg({ quality: 70 }).toFile(path.join(root, 'jpeg', `${name}.jpg`));
  await sharp(file).resize(Math.round(width! * 0.7), Math.round(height! * 0.7)).png().toFile(path.join(root, 'small', `${name}.png`));
  const [dx, dy] = [Math.round(width! * 0.025), Math.round(height! * 0.025)];
  await sharp(file).extract({ left: dx, top: dy, width: width! - 2 * dx, height: height! - 2 * dy }).png().toFile(path.join(root, 'crop', `${name}.png`));
}

describe('similarity: planted near-duplicates of real X-rays', function () {
  this.timeout(180_000);
  let root: string;
  let items: DatasetItem[];
  let index: SimilarityIndex;
  let table: Awaited<ReturnType<typeof itemVectors>>['table'];

  before(async () => {
    const cxr = requireShared(CXR_DIR);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-similar-'));
    for (const folder of ['orig', 'other', ...COPIES]) fs.mkdirSync(path.join(root, folder));
    // Eight films of every class and source get copies; sixteen more are distractors (the shared folder stays read-only).
    const picks: Record<string, { planted: number[]; others: number[] }> = {
      COVID: { planted: [5, 120, 300], others: [40, 160, 260, 340, 420, 480] },
      NORMAL: { planted: [10, 200, 410], others: [60, 140, 300, 360, 460] },
      PNEUMONIA: { planted: [50, 250], others: [90, 180, 330, 390, 470] },
    };
    for (const [cls, { planted, others }] of Object.entries(picks)) {
      const names = fs.readdirSync(path.join(cxr, cls)).sort();
      for (const k of planted) {
        const file = path.join(cxr, cls, names[k]);
        const name = `${cls}-${k}`;
        fs.copyFileSync(file, path.join(root, 'orig', `${name}${path.extname(file)}`));
        await plantCopies(file, root, name);
      }
      for (const k of others) fs.copyFileSync(path.join(cxr, cls, names[k]), path.join(root, 'other', `${cls}-${k}${path.extname(names[k])}`));
    }
    const session = await MlSession.open(root, { backbone: requireShared(BACKBONE_DIR), workers: 2 });
    try {
      const embedded = await itemVectors(session, (await openDataset(root)).items);
      assert.deepEqual(embedded.warnings, []);
      items = embedded.items;
      table = embedded.table;
    } finally {
      await session.close();
    }
    index = SimilarityIndex.ofTable(table);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const stem = (item: DatasetItem): string => path.basename(item.id, path.extname(item.id));
  const folder = (item: DatasetItem): string => item.id.split('/')[0];

  for (const kind of COPIES) {
    for (const mode of ['exact', 'projected'] as const) {
      it(`finds each ${kind} copy's original as its nearest neighbour (${mode} scan)`, () => {
        // One kind of copy at a time, so a copy's nearest neighbour can only be its original or another film.
        const rows = items.flatMap((item, r) => (['orig', 'other', kind].includes(folder(item)) ? [r] : []));
        const subset = selectVectors(table, rows);
        const config = mode === 'projected' ? { exactBelow: 0, components: 8, minCandidates: 3, candidatesPerResult: 1 } : {};
        const sub = SimilarityIndex.ofTable(subset, config);
        const copies = rows.flatMap((r, i) => (folder(items[r]) === kind ? [i] : []));
        assert.equal(copies.length, 8);
        for (const i of copies) {
          const [nearest] = sub.nearestToRow(i, 1);
          const found = items[rows[nearest.index]];
          assert.equal(`${folder(found)}/${stem(found)}`, `orig/${stem(items[rows[i]])}`, `${items[rows[i]].id}: nearest is ${found.id} (${nearest.similarity})`);
        }
      });
    }
  }

  it('ranks the three copies of a film next to it, above every other film', () => {
    for (const r of items.flatMap((item, row) => (folder(item) === 'orig' ? [row] : []))) {
      const top = index.nearestToRow(r, 3).map((n) => items[n.index]);
      assert.deepEqual(top.map(folder).sort(), [...COPIES].sort(), `${items[r].id}: ${top.map((i) => i.id).join(', ')}`);
      assert.ok(top.every((item) => stem(item) === stem(items[r])));
    }
  });

  it('answers `xray-curator similar` and `map` from the command line', async () => {
    const out = path.join(root, '..', `${path.basename(root)}-out.json`);
    const env = { ...process.env, XRAY_CURATOR_BACKBONE: '' };
    try {
      const similar = await runCli(['similar', root, 'crop/NORMAL-200.png', '--k', '4', '--backbone', BACKBONE_DIR, '--out', out], env);
      assert.equal(similar.code, 0, similar.stderr);
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { version: number; neighbours: { id: string; similarity: number }[] };
      assert.equal(result.version, 1);
      assert.equal(result.neighbours.length, 4);
      assert.ok(!result.neighbours.some((n) => n.id === 'crop/NORMAL-200.png'));
      assert.deepEqual(result.neighbours.slice(0, 3).map((n) => stem({ id: n.id } as DatasetItem)), ['NORMAL-200', 'NORMAL-200', 'NORMAL-200']);
      assert.ok(result.neighbours.every((n, i) => i === 0 || n.similarity <= result.neighbours[i - 1].similarity));

      const maps: { version: number; points: { id: string; x: number; y: number }[] }[] = [];
      for (const run of [1, 2]) {
        const map = await runCli(['map', root, '--backbone', BACKBONE_DIR, '--out', out], env);
        assert.equal(map.code, 0, map.stderr);
        assert.match(map.stderr, run === 1 ? /computed/ : /cached/);
        maps.push(JSON.parse(fs.readFileSync(out, 'utf8')) as (typeof maps)[number]);
      }
      assert.equal(maps[0].version, 1);
      assert.deepEqual(maps[0].points.map((p) => p.id).sort(), items.map((i) => i.id).sort());
      assert.deepEqual(maps[1], maps[0]);
      assert.equal(fs.readdirSync(path.join(root, '.xray-curator', 'maps')).length, 1);
    } finally {
      fs.rmSync(out, { force: true });
    }
  });
});
