// The "find this region" job, run in a worker thread: reads (or first computes) the region maps of the images
// searched, then ranks them against the box drawn on one of them.
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../backbone';
import type { Backbone } from '../backbone';
import { initEngine } from '../engine';
import { throwIfCancelled } from '../jobs/jobContext';
import type { JobContext } from '../jobs/jobContext';
import { decodeToInput, PREPROCESS_VERSION, scaleToInput } from '../preprocess';
import { stateDirOf } from '../session';
import { RegionCache } from './regionCache';
import { extractMaps, regionExtractor } from './regionFeatures';
import type { RegionMaps } from './regionFeatures';
import { searchRegion } from './regionSearch';
import type { RegionBox } from './regionSearch';

/** Images decoded and run per batch while maps are computed (and appended to the cache). */
const BATCH = 16;

export interface RegionSearchParams {
  root: string;
  /** The images to search, the query among them; items without a content hash cannot be cached and are left out. */
  items: { id: string; hash: string; path: string }[];
  queryId: string;
  box: RegionBox;
  k: number;
  backbone: string;
  backboneSha256?: string;
  cacheDir?: string;
}

export interface RegionSearchAnswer {
  matches: { id: string; similarity: number; box: RegionBox }[];
  /** Images searched (with a map). */
  searched: number;
  /** Maps computed for this search (the rest came from the cache). */
  computed: number;
  /** Images that could not be decoded, with why (the first few). */
  unreadable: { id: string; error: string }[];
}

export async function regionSearchJob(params: RegionSearchParams, ctx: JobContext): Promise<RegionSearchAnswer> {
  if (!params.items.some((item) => item.id === params.queryId)) throw new Error(`the image searched from (${params.queryId}) has no content hash yet`);
  await initEngine(['tensorflow', 'wasm', 'cpu']);
  const backbone = await loadBackbone(params.backbone, { sha256: params.backboneSha256, cacheDir: params.cacheDir, signal: ctx.signal });
  try {
    return await search(params, backbone, ctx);
  } finally {
    backbone.model.dispose();
  }
}

async function search(params: RegionSearchParams, backbone: Backbone, ctx: JobContext): Promise<RegionSearchAnswer> {
  const extractor = regionExtractor(backbone.model);
  const [height, width] = backbone.inputSize;
  const [, grid, , channels] = extractor.outputs[0].shape as number[];
  const cache = await RegionCache.open(stateDirOf(params.root), { backboneId: backbone.id, inputSize: backbone.inputSize, preprocessVersion: PREPROCESS_VERSION, grid, channels });
  const missing = [...new Map(params.items.filter((item) => !cache.has(item.hash)).map((item) => [item.hash, item])).values()];
  const unreadable: RegionSearchAnswer['unreadable'] = [];
  for (let start = 0; start < missing.length; start += BATCH) {
    throwIfCancelled(ctx.signal);
    ctx.progress({ message: `reading region features: ${start.toLocaleString('en-US')} of ${missing.length.toLocaleString('en-US')} new images`, fraction: start / missing.length });
    const batch = missing.slice(start, start + BATCH);
    const decoded = await Promise.all(batch.map((item) => decodeToInput(item.path, width, height).then((rgb) => ({ item, rgb }), (error: Error) => ({ item, error: error.message }))));
    const ok = decoded.flatMap((d) => ('rgb' in d ? [d] : []));
    for (const d of decoded) if ('error' in d && unreadable.length < 20) unreadable.push({ id: d.item.id, error: d.error });
    if (!ok.length) continue;
    const input = new Float32Array(ok.length * height * width * 3);
    ok.forEach((d, i) => scaleToInput(d.rgb, input, i * height * width * 3));
    const x = tf.tensor4d(input, [ok.length, height, width, 3]);
    const { maps } = extractMaps(extractor, x);
    x.dispose();
    await cache.putMany(ok.map((d, i) => ({ hash: d.item.hash, ...maps[i] })));
  }
  throwIfCancelled(ctx.signal);
  ctx.progress({ message: 'matching the region' });
  const rows = params.items.filter((item) => cache.has(item.hash));
  const per = cache.mapBytes;
  const table: RegionMaps = { rows: rows.length, grid, channels, data: new Int8Array(rows.length * per), scales: new Float32Array(rows.length) };
  rows.forEach((item, r) => {
    const map = cache.get(item.hash)!;
    table.data.set(map.data, r * per);
    table.scales[r] = map.scale;
  });
  const queryRow = rows.findIndex((item) => item.id === params.queryId);
  if (queryRow < 0) throw new Error(`cannot read ${params.queryId}: ${unreadable.find((u) => u.id === params.queryId)?.error ?? 'no region features'}`);
  const matches = await searchRegion(table, queryRow, params.box, { k: params.k, signal: ctx.signal });
  return { matches: matches.map((m) => ({ id: rows[m.row].id, similarity: m.similarity, box: m.box })), searched: rows.length, computed: missing.length, unreadable };
}
