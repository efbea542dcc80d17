// The dataset map on disk: `<state folder>/maps/map-<key[:16]>.json`, one file per embedding set. The key hashes the
// embedding space, the map settings and the sorted content hashes, so any change of backbone, settings or images
// makes a new map, and duplicates by content share one point.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../../dataset/atomicFile';
import type { EmbeddingSpace } from '../embeddingCache';
import type { MapConfig } from './computeMap';

/** Format version of the map files. */
export const MAP_FILE_VERSION = 1;

export interface MapFile {
  version: number;
  key: string;
  space: EmbeddingSpace;
  config: MapConfig;
  createdAt: string;
  /** How many points UMAP fitted; the rest were placed by their nearest fitted points. */
  fitted: number;
  points: { hash: string; x: number; y: number }[];
}

/** `hashes` must be the distinct content hashes, sorted. */
export function mapKey(space: EmbeddingSpace, config: MapConfig, hashes: readonly string[]): string {
  const hash = crypto.createHash('sha256').update(JSON.stringify({ version: MAP_FILE_VERSION, space, config }));
  for (const h of hashes) hash.update(`\n${h}`);
  return hash.digest('hex');
}

export function mapPath(stateDir: string, key: string): string {
  return path.join(stateDir, 'maps', `map-${key.slice(0, 16)}.json`);
}

/** The stored map of `key`, or undefined when there is none (or it is of another format or key). */
export async function readMap(stateDir: string, key: string): Promise<MapFile | undefined> {
  const text = await fs.readFile(mapPath(stateDir, key), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<MapFile>;
    return parsed.version === MAP_FILE_VERSION && parsed.key === key && Array.isArray(parsed.points) ? (parsed as MapFile) : undefined;
  } catch {
    return undefined;
  }
}

export async function writeMap(stateDir: string, map: MapFile): Promise<string> {
  const file = mapPath(stateDir, map.key);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, JSON.stringify(map));
  return file;
}
