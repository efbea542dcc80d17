// The map of a dataset's items: from the cached map of this embedding set, else computed (on this thread; the
// extension runs it in the vector-service worker) and stored.
import { itemVectors } from '../similarity/datasetVectors';
import { selectVectors } from '../similarity/vectors';
import type { VectorTable } from '../similarity/vectors';
import type { EmbeddingSpace } from '../embeddingCache';
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
  const embedded = await itemVectors(session, items, options);
  const map = await mapOfTable(session.stateDir, session.cache.space, embedded.items.map((item) => ({ id: item.id, hash: item.hash! })), embedded.table, config);
  return { ...map, warnings: embedded.warnings };
}

/** The map of `rows` (row r of `table` is `rows[r]`), cached by the distinct content hashes in `stateDir`. */
export async function mapOfTable(
  stateDir: string,
  space: EmbeddingSpace,
  rows: readonly { id: string; hash: string }[],
  table: VectorTable,
  config: Partial<MapConfig> = {},
): Promise<Omit<DatasetMap, 'warnings'>> {
  const full = { ...DEFAULT_MAP_CONFIG, ...config };
  const firstRow = new Map<string, number>();
  rows.forEach((row, r) => firstRow.has(row.hash) || firstRow.set(row.hash, r));
  const hashes = [...firstRow.keys()].sort();
  const key = mapKey(space, full, hashes);
  let map = await readMap(stateDir, key);
  const cached = map !== undefined;
  if (!map) {
    const result = computeMap(selectVectors(table, hashes.map((h) => firstRow.get(h)!)), full);
    const points = hashes.map((hash, i) => ({ hash, x: result.x[i], y: result.y[i] }));
    map = { version: MAP_FILE_VERSION, key, space, config: full, createdAt: new Date().toISOString(), fitted: result.fitted, points } satisfies MapFile;
  }
  const file = cached ? mapPath(stateDir, key) : await writeMap(stateDir, map);
  const byHash = new Map(map.points.map((p) => [p.hash, p]));
  const points = rows.map((row) => ({ id: row.id, x: byHash.get(row.hash)!.x, y: byHash.get(row.hash)!.y }));
  return { points, cached, file, fitted: map.fitted };
}
