// The vectors already in a dataset's embedding cache, read without loading a backbone: the gallery's "more like
// this", its active-learning queue and the map use what Score Dataset and Retrain Model embedded, and say what is
// missing rather than embedding 400,000 images behind the user's back.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { EmbeddingCache } from '../embeddingCache';
import type { EmbeddingSpace } from '../embeddingCache';
import { normaliseRows } from '../similarity/vectors';
import type { VectorTable } from '../similarity/vectors';

/** What a vector row needs of an item. */
export interface HashedItem {
  id: string;
  hash: string | null;
}

export interface CachedVectors {
  /** Ids of the rows of `table`, in the order the items were given. */
  ids: string[];
  /** Content hash of each row. */
  hashes: string[];
  /** The vectors scaled to unit length (every reader wants cosines), in place: one copy of them in memory. */
  table: VectorTable;
  /** Items with no cached embedding (not yet scored, unreadable, or no content hash). */
  missing: number;
  space: EmbeddingSpace;
}

/**
 * The embedding space written to last (the newest vector file): the one the latest Score Dataset or Retrain Model
 * used, fine-tuned backbones included. Undefined when nothing was ever embedded.
 */
export async function newestSpace(stateDir: string): Promise<EmbeddingSpace | undefined> {
  const root = path.join(stateDir, 'embeddings');
  const dirs = await fs.readdir(root).catch(() => [] as string[]);
  let best: { space: EmbeddingSpace; time: number } | undefined;
  for (const dir of dirs) {
    const folder = path.join(root, dir);
    const meta = await fs.readFile(path.join(folder, 'meta.json'), 'utf8').then((text) => JSON.parse(text) as Partial<EmbeddingSpace>, () => undefined);
    if (!meta || typeof meta.backboneId !== 'string' || typeof meta.featureDim !== 'number' || !Array.isArray(meta.inputSize) || typeof meta.preprocessVersion !== 'number') continue;
    const files = (await fs.readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.bin'));
    const times = await Promise.all(files.map((name) => fs.stat(path.join(folder, name)).then((s) => (s.size > 0 ? s.mtimeMs : 0), () => 0)));
    const time = Math.max(0, ...times);
    if (time > 0 && (!best || time > best.time)) {
      best = { space: { backboneId: meta.backboneId, inputSize: [meta.inputSize[0], meta.inputSize[1]], preprocessVersion: meta.preprocessVersion, featureDim: meta.featureDim }, time };
    }
  }
  return best?.space;
}

/** One row per item whose embedding is cached in `space` (the newest by default), in the given order. */
export async function cachedVectors(stateDir: string, items: readonly HashedItem[], space?: EmbeddingSpace): Promise<CachedVectors> {
  const chosen = space ?? (await newestSpace(stateDir));
  if (!chosen) throw new Error('no image of this dataset has been embedded yet: run X-Ray Curator: Score Dataset first');
  const cache = await EmbeddingCache.open(stateDir, chosen);
  const ids: string[] = [];
  const hashes: string[] = [];
  const rows: Float32Array[] = [];
  for (const item of items) {
    const vector = item.hash ? cache.get(item.hash) : undefined;
    if (!vector) continue;
    ids.push(item.id);
    hashes.push(item.hash!);
    rows.push(vector);
  }
  const cols = chosen.featureDim;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, r) => data.set(row, r * cols));
  return { ids, hashes, table: normaliseRows(data, rows.length, cols, data), missing: items.length - ids.length, space: chosen };
}
