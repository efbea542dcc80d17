// Image fingerprints for the audit, cached by content hash in the dataset's state folder so that a second
// audit decodes nothing (the extension and the command-line tool share the file).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../../dataset/atomicFile';
import { readFingerprint, type ImageFingerprint } from './perceptualHash';

/** Version of the fingerprint cache file; bump when the hash changes. */
const FINGERPRINT_CACHE_VERSION = 1;
/** The cache's name inside the dataset's state folder. */
export const FINGERPRINT_CACHE_FILE = 'audit-fingerprints.json';
/** Images decoded at once (sharp decodes on libuv's thread pool). */
const DECODE_CONCURRENCY = 4;

/** What fingerprinting reads of an item (a `DatasetItem` has it). */
export interface FingerprintItem {
  id: string;
  absPath: string;
  hash: string | null;
}

interface FingerprintCache {
  version: number;
  /** By content hash. */
  entries: Record<string, ImageFingerprint>;
}

/**
 * Fingerprints of the items, read from `cacheFile` (by content hash) or decoded and added to it; null, with a
 * line in `warnings`, for images that cannot be decoded. The cache is only a time saver: a failure to save
 * it is a warning too.
 */
export async function fingerprintsOf(items: readonly FingerprintItem[], cacheFile: string, warnings: string[]): Promise<(ImageFingerprint | null)[]> {
  const cache = await readFingerprintCache(cacheFile);
  const result: (ImageFingerprint | null)[] = items.map((item) => (item.hash ? cache.entries[item.hash] : undefined) ?? null);
  const missing = items.flatMap((_, i) => (result[i] ? [] : [i]));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < missing.length) {
      const i = missing[next++];
      try {
        result[i] = await readFingerprint(items[i].absPath);
        const hash = items[i].hash;
        if (hash) cache.entries[hash] = result[i]!;
      } catch (error) {
        warnings.push(`${items[i].id}: no perceptual hash: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: DECODE_CONCURRENCY }, worker));
  if (missing.length > 0) {
    try {
      await fs.mkdir(path.dirname(cacheFile), { recursive: true });
      await writeAtomically(cacheFile, JSON.stringify(cache));
    } catch (error) {
      warnings.push(`fingerprint cache not saved: ${(error as Error).message}`);
    }
  }
  return result;
}

async function readFingerprintCache(file: string): Promise<FingerprintCache> {
  try {
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<FingerprintCache>;
    if (stored.version === FINGERPRINT_CACHE_VERSION && stored.entries && typeof stored.entries === 'object') return { version: FINGERPRINT_CACHE_VERSION, entries: stored.entries };
  } catch {
    // Missing or unreadable: start afresh (the cache only saves time).
  }
  return { version: FINGERPRINT_CACHE_VERSION, entries: {} };
}
