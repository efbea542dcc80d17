import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDataset, stateDirOf } from '../../../src/dataset';
import { shardOf } from '../../../src/cli/embed';
import { mirrorFolder } from '../../support/mirror';
import type { Mirror } from '../../support/mirror';
import { runCli } from '../../support/runCli';

const PROJECT = path.resolve(__dirname, '..', '..', '..', '..');
/** Bytes of one cache record with the built-in backbone: a 32-byte key and 1,280 float32. */
const RECORD = 32 + 4 * 1280;

interface EmbedOutput {
  shard: { index: number; count: number } | null;
  items: number;
  embedded: number;
  cached: number;
  cacheFile: string;
}

// What a cluster's array job does: two nodes embed one shard each at the same time, then one merge.
describe('xray-curator embed: shards for a cluster, resumable, merged into one cache', function () {
  this.timeout(120_000);
  let demo: Mirror;
  const embed = async (...args: string[]): Promise<EmbedOutput> => {
    const run = await runCli(['embed', demo.root, ...args], { ...process.env, XRAY_CURATOR_BACKBONE: '' });
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as EmbedOutput;
  };

  before(() => {
    demo = mirrorFolder(path.join(PROJECT, 'demo-dataset'));
  });
  after(() => demo?.remove());

  it('embeds two content-hash shards at once into their own files, which together hold every image once', async () => {
    const [zero, one] = await Promise.all([embed('--shard', '0/2'), embed('--shard', '1/2')]);
    const hashes = (await openDataset(demo.root)).items.map((item) => item.hash!);
    assert.deepEqual([zero.items, one.items], [hashes.filter((h) => shardOf(h, 2) === 0).length, hashes.filter((h) => shardOf(h, 2) === 1).length]);
    assert.equal(zero.items + one.items, 36);
    assert.ok(zero.items > 0 && one.items > 0, 'both shards have work');
    assert.deepEqual([zero.embedded, one.embedded], [zero.items, one.items]);
    assert.match(path.basename(zero.cacheFile), /^vectors\.shard-0-of-2\.bin$/);
    assert.equal(fs.statSync(zero.cacheFile).size, zero.items * RECORD);
    assert.equal(fs.statSync(one.cacheFile).size, one.items * RECORD);
  });

  it('then embeds nothing again: every image is found in the shard files', async () => {
    const all = await embed();
    assert.deepEqual([all.items, all.embedded, all.cached], [36, 0, 36]);
  });

  it('merges the shard files into vectors.bin, and the merged cache still holds every image', async () => {
    const run = await runCli(['embed', demo.root, '--merge'], { ...process.env, XRAY_CURATOR_BACKBONE: '' });
    assert.equal(run.code, 0, run.stderr);
    const merged = JSON.parse(run.stdout) as { merged: number; vectors: number; cacheDir: string };
    assert.deepEqual([merged.merged, merged.vectors], [2, 36]);
    assert.deepEqual(fs.readdirSync(merged.cacheDir).filter((name) => name.endsWith('.bin')), ['vectors.bin']);
    assert.equal(fs.statSync(path.join(merged.cacheDir, 'vectors.bin')).size, 36 * RECORD);
    assert.ok(merged.cacheDir.startsWith(stateDirOf(demo.root)));
    const again = await embed();
    assert.deepEqual([again.embedded, again.cached], [0, 36]);
  });

  it('refuses a shard outside 0..N-1 and a shard together with --merge', async () => {
    for (const args of [['--shard', '2/2'], ['--shard', 'a/b'], ['--shard', '0/2', '--merge']]) {
      const run = await runCli(['embed', demo.root, ...args]);
      assert.equal(run.code, 2, args.join(' '));
    }
  });
});
