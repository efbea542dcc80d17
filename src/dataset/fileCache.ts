import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from './atomicFile';
import { readImageHeader } from './image';
import type { ImageHeader } from './image';
import { stateDirOf } from './userCache';

/** What a scan learns about one file; reused while the file's size and mtime are unchanged. */
export interface FileFacts {
  size: number;
  mtimeMs: number;
  hash: string | null;
  header?: ImageHeader;
  error?: string;
}

interface CacheFile {
  version: typeof CACHE_VERSION;
  files: Record<string, FileFacts>;
}

const CACHE_VERSION = 1;
const CACHE_FILE_NAME = 'file-cache.json';

/**
 * Content hashes and image headers keyed by item id and validated by (size, mtime), stored in
 * `<dataset>/.xray-curator/file-cache.json` so reopening 50,000 images does not read them all again.
 */
export class FileFactsCache {
  private readonly entries: Map<string, FileFacts>;
  private dirty = false;

  private constructor(
    private readonly file: string,
    entries: Map<string, FileFacts>,
  ) {
    this.entries = entries;
  }

  /** Loads the cache; a missing, unreadable or other-version file gives an empty cache. */
  static async load(root: string): Promise<FileFactsCache> {
    const file = path.join(stateDirOf(root), CACHE_FILE_NAME);
    const entries = new Map<string, FileFacts>();
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.version === CACHE_VERSION && parsed.files && typeof parsed.files === 'object') {
        for (const [id, facts] of Object.entries(parsed.files)) entries.set(id, facts);
      }
    } catch {
      // No cache yet, or a damaged one: everything is hashed again.
    }
    return new FileFactsCache(file, entries);
  }

  /** Facts about `absPath` (item `id`): from the cache when size and mtime match, else read now. */
  async facts(id: string, absPath: string): Promise<FileFacts> {
    const stat = await fs.stat(absPath);
    if (!stat.isFile()) return { size: 0, mtimeMs: 0, hash: null, error: 'not a regular file' };
    const known = this.entries.get(id);
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known;
    const facts = await readFacts(absPath, stat.size, stat.mtimeMs);
    this.entries.set(id, facts);
    this.dirty = true;
    return facts;
  }

  /** Drops entries of files that are no longer part of the dataset. */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const id of this.entries.keys()) {
      if (!ids.has(id)) {
        this.entries.delete(id);
        this.dirty = true;
      }
    }
  }

  /** Saves when anything changed; returns a warning instead of throwing (the dataset still opens). */
  async save(): Promise<string | null> {
    if (!this.dirty) return null;
    const content: CacheFile = { version: CACHE_VERSION, files: Object.fromEntries(this.entries) };
    try {
      await writeAtomically(this.file, JSON.stringify(content));
      this.dirty = false;
      return null;
    } catch (error) {
      return `hash cache not saved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the next open hashes every file again`;
    }
  }
}

async function readFacts(absPath: string, size: number, mtimeMs: number): Promise<FileFacts> {
  if (size === 0) return { size, mtimeMs, hash: null, error: 'empty file (0 bytes)' };
  let content: Buffer;
  try {
    content = await fs.readFile(absPath);
  } catch (error) {
    return { size, mtimeMs, hash: null, error: `unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const hash = createHash('sha256').update(content).digest('hex');
  try {
    return { size, mtimeMs, hash, header: await readImageHeader(content) };
  } catch (error) {
    return { size, mtimeMs, hash, error: (error as Error).message };
  }
}
