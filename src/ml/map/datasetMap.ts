// The map of a dataset's items: from the cached map of this embedding set, else computed (on this thread; the
// extension runs `computeMap` in a worker) and stored.
import { itemVectors } from '../similarity/datasetVectors';
import { selectVectors } from '../similarity/vectors';
import type { EmbeddableItem, MlSession, RunOptions } from '../session';
import { computeMap, DEFAULT_MAP_CONFIG } from './computeMap';
import type { MapConfig } from './computeMap';
import { MAP_FILE_VERSION, mapKey, mapPath, readMap, writeMap } from './mapCache';
import type { MapFile } from './mapCache';

export interface DatasetMap {
  points: { id: string; x: number; y: number }[];
  /** Whether the map came from the state folder. */
  cached: boolean;
  file: string;
  fitted: number;
  warnings: string[];
}

export async function datasetMap(session: MlSession, items: readonly EmbeddableItem[], config: Partial<MapConfig> = {}, options: RunOptions = {}): Promise<DatasetMap> {
  const full = { ...DEFAULT_MAP_CONFIG, ...config };
  const embedded = await itemVectors(session, items, options);
  const firstRow = new Map<string, number>();
  embedded.items.forEach((item, r) => firstRow.has(item.hash!) || firstRow.set(item.hash!, r));
  const hashes = [...firstRow.keys()].sort();
  const key = mapKey(session.cache.space, full, hashes);
  let map = await readMap(session.stateDir, key);
  const cached = map !== undefined;
  if (!map) {
    const result = computeMap(selectVectors(embedded.table, hashes.map((h) => firstRow.get(h)!)), full);
    const points = hashes.map((hash, i) => ({ hash, x: result.x[i], y: result.y[i] }));
    map = { version: MAP_FILE_VERSION, key, space: session.cache.space, config: full, createdAt: new Date().toISOString(), fitted: result.fitted, points } satisfies MapFile;
  }
  const file = cached ? mapPath(session.stateDir, key) : await writeMap(session.stateDir, map);
  const byHash = new Map(map.points.map((p) => [p.hash, p]));
  const points = embedded.items.map((item) => ({ id: item.id, x: byHash.get(item.hash!)!.x, y: byHash.get(item.hash!)!.y }));
  return { points, cached, file, fitted: map.fitted, warnings: embedded.warnings };
}
