import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from './atomicFile';
import { readDicomTags } from './dicom';
import type { DicomTags } from './dicom';
import { dicomFacts } from './dicom/manifestFields';
import type { DicomFacts } from './dicom/manifestFields';
import { readIdentifierPolicy, type Identify, type IdentifierPolicy } from './dicom/identifiers';
import { datasetSalt, pseudonym, readSalt, saltId } from './dicom/salt';
import { readImageHeader } from './image';
import { sniffImageKind } from './imageFormat';
import type { ImageHeader } from './image';
import { stateDirOf } from './userCache';

/** What a scan learns about one file; reused while the file's size and mtime are unchanged. */
export interface FileFacts {
  size: number;
  mtimeMs: number;
  hash: string | null;
  header?: ImageHeader;
  /** DICOM files: the header's manifest fields (identifiers pseudonymised) and whether it is an image at all. */
  dicom?: DicomFacts;
  error?: string;
}

interface CacheFile {
  version: typeof CACHE_VERSION;
  /** The salt the cached DICOM pseudonyms were made with (`saltId`), null before there was one; `raw` for raw identifiers. */
  saltId: string | null;
  files: Record<string, FileFacts>;
}

// 2: DICOM manifest fields. Older caches lack them, so they are read again rather than taken as "no tags".
const CACHE_VERSION = 2;
const CACHE_FILE_NAME = 'file-cache.json';
/** The `saltId` of a cache whose DICOM identifiers are raw. */
const RAW = 'raw';

/**
 * Content hashes and image headers keyed by item id and validated by (size, mtime), stored in
 * `<dataset>/.xray-curator/file-cache.json` so reopening 50,000 images does not read them all again.
 */
export class FileFactsCache {
  private readonly entries: Map<string, FileFacts>;
  private dirty = false;
  private salt: Promise<Buffer> | undefined;

  private constructor(
    private readonly root: string,
    /** Where it is saved; null: never. */
    private readonly file: string | null,
    entries: Map<string, FileFacts>,
    private saltId: string | null,
    private readonly policy: IdentifierPolicy,
  ) {
    this.entries = entries;
  }

  /** Loads the cache; a missing, unreadable or other-version file gives an empty cache. */
  static async load(root: string): Promise<FileFactsCache> {
    const file = path.join(stateDirOf(root), CACHE_FILE_NAME);
    const entries = new Map<string, FileFacts>();
    const policy = await readIdentifierPolicy(root);
    const currentSaltId = policy === 'raw' ? RAW : saltId(await readSalt(root));
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.version === CACHE_VERSION && parsed.files && typeof parsed.files === 'object') {
        // Pseudonyms made with a salt since deleted would not match the new ones, nor would identifiers written under
        // the other policy: those files are read again.
        const samePseudonyms = parsed.saltId === currentSaltId;
        for (const id in parsed.files) {
          const facts = parsed.files[id];
          if (samePseudonyms || !facts.dicom) entries.set(id, facts);
        }
      }
    } catch {
      // No cache yet, or a damaged one: everything is hashed again.
    }
    return new FileFactsCache(root, file, entries, currentSaltId, policy);
  }

  /**
   * A cache that starts empty and is never saved, for the file watcher: the files it hears of changed (their size
   * or mtime, or their name), so saved facts would not be used, and loading them all at 400,000 files took the
   * host's thread seconds and hundreds of megabytes. The next scan reads those few files again.
   */
  static async unsaved(root: string): Promise<FileFactsCache> {
    return new FileFactsCache(root, null, new Map(), null, await readIdentifierPolicy(root));
  }

  /** Facts about `absPath` (item `id`): from the cache when size and mtime match, else read now. */
  async facts(id: string, absPath: string): Promise<FileFacts> {
    const stat = await fs.stat(absPath);
    if (!stat.isFile()) return { size: 0, mtimeMs: 0, hash: null, error: 'not a regular file' };
    const known = this.entries.get(id);
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known;
    const identify: Identify = this.policy === 'raw' ? (value) => Promise.resolve(value) : async (value) => pseudonym(await this.datasetSalt(), value);
    const facts = await readFacts(absPath, stat.size, stat.mtimeMs, identify);
    this.entries.set(id, facts);
    this.dirty = true;
    return facts;
  }

  private datasetSalt(): Promise<Buffer> {
    this.salt ??= datasetSalt(this.root).then((salt) => {
      this.saltId = saltId(salt);
      return salt;
    });
    return this.salt;
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
    if (!this.dirty || !this.file) return null;
    try {
      await writeAtomically(this.file, cachePieces(this.saltId, this.entries));
      this.dirty = false;
      return null;
    } catch (error) {
      return `hash cache not saved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the next open hashes every file again`;
    }
  }
}

/** The cache file (a `CacheFile`) in pieces: at 400,000 files one JSON string of it was 84 MB. */
function* cachePieces(saltId: string | null, entries: ReadonlyMap<string, FileFacts>): Generator<string> {
  const head: Omit<CacheFile, 'files'> = { version: CACHE_VERSION, saltId };
  yield `${JSON.stringify(head).slice(0, -1)},"files":{`;
  let piece: string[] = [];
  let first = true;
  for (const [id, facts] of entries) {
    piece.push(`${first ? '' : ','}${JSON.stringify(id)}:${JSON.stringify(facts)}`);
    first = false;
    if (piece.length === 5000) {
      yield piece.join('');
      piece = [];
    }
  }
  yield `${piece.join('')}}}`;
}

async function readFacts(absPath: string, size: number, mtimeMs: number, identify: Identify): Promise<FileFacts> {
  if (size === 0) return { size, mtimeMs, hash: null, error: 'empty file (0 bytes)' };
  let content: Buffer;
  try {
    content = await fs.readFile(absPath);
  } catch (error) {
    return { size, mtimeMs, hash: null, error: `unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const facts: FileFacts = { size, mtimeMs, hash: createHash('sha256').update(content).digest('hex') };
  try {
    facts.header = await readImageHeader(content);
  } catch (error) {
    facts.error = (error as Error).message;
  }
  // Tags also of DICOM objects without an image header: they say why the object is not an image (a report, ...).
  if (sniffImageKind(content.subarray(0, 132)) === 'dicom') {
    let tags: DicomTags | null = null;
    try {
      tags = readDicomTags(content);
    } catch {
      // An unparseable header: `error` above already says why the file is unusable.
    }
    if (tags) facts.dicom = await dicomFacts(tags, identify);
  }
  return facts;
}
