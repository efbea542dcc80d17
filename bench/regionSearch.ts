// "Find this region" on burned-in markers: white "L" letters planted near a corner of real chest X-rays of every
// source (7–10% of the short side, as film markers are), among the shared set's other films. For each marked film,
// a search from the box over its letter; the figure is the share of the other marked films among the first as many
// results (recall at K = their number), averaged over the queries, with the time to read the maps the first time and
// the time of a search once they are cached.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initEngine } from '../src/ml/engine';
import { regionSearchJob } from '../src/ml/region/regionJob';
import type { RegionSearchParams } from '../src/ml/region/regionJob';
import { seededRandom, shuffled } from '../src/ml/splits';
import { plantMarker } from '../test/support/plantMarker';
import { BACKBONE_DIR, CXR_DIR, requireShared } from '../test/support/shared';
import { progress, runBenchmark } from './lib/child';
import { median } from './lib/stats';

runBenchmark('regionSearch', async ({ work, quick }) => {
  const engine = await initEngine(['wasm', 'cpu']);
  const rows = fs.readFileSync(path.join(requireShared(CXR_DIR), 'manifest.csv'), 'utf8').trim().split('\n').slice(1);
  const random = seededRandom(7);
  const files = shuffled(rows.map((row) => row.slice(0, row.indexOf(','))), random).slice(0, quick ? 300 : rows.length);
  const marked = quick ? 12 : 24;
  const root = path.join(work, `region-${files.length}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const hashOf = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const items: RegionSearchParams['items'] = files.map((rel) => ({ id: rel, hash: hashOf(path.join(CXR_DIR, rel)), path: path.join(CXR_DIR, rel) }));
  const boxes = new Map<string, RegionSearchParams['box']>();
  for (let i = 0; i < marked; i++) {
    const id = `marked-${i}.png`;
    boxes.set(id, await plantMarker(path.join(CXR_DIR, files[i]), path.join(root, id), random));
    items.push({ id, hash: hashOf(path.join(root, id)), path: path.join(root, id) });
  }
  const ctx = { signal: new AbortController().signal, progress: ({ message }: { message: string }) => progress('regionSearch', message) };
  const base = { root, items, k: marked - 1, backbone: requireShared(BACKBONE_DIR) };
  const recalls: number[] = [];
  const queryMs: number[] = [];
  let coldSeconds = 0;
  for (const [queryId, box] of boxes) {
    const started = performance.now();
    const answer = await regionSearchJob({ ...base, queryId, box }, ctx);
    const ms = performance.now() - started;
    if (answer.computed) coldSeconds = ms / 1000;
    else queryMs.push(ms);
    recalls.push(answer.matches.filter((m) => boxes.has(m.id)).length / (marked - 1));
  }
  fs.rmSync(root, { recursive: true, force: true });
  const n = items.length;
  return {
    metrics: {
      [`regionSearch.${n}.recallAtK`]: recalls.reduce((a, b) => a + b, 0) / recalls.length,
      [`regionSearch.${n}.mapsSeconds`]: coldSeconds,
      [`regionSearch.${n}.queryMs`]: median(queryMs),
    },
    inputs: { images: n, marked, engine: engine.backend, layer: 'block_2_add', perQueryRecall: recalls.map((r) => Number(r.toFixed(3))) },
    notes: ['recallAtK: other marked films among the first K results, K = their number (chance: K / images). queryMs: a whole search job with the maps cached (read the cache, match, rank).'],
  };
});
