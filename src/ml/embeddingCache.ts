// On-disk cache of embeddings in the dataset's `.xray-curator/embeddings/`, one folder per key space
// (backbone id, input size, preprocessing version), so an image is embedded once per backbone. Records are
// appended: [32-byte key = sha256(content hash, view)] [featureDim float32 little-endian]. Content-addressed and
// append-only, so caches merge by concatenation: a process embedding one shard of a dataset on a cluster node
// (`xray-curator embed --shard I/N`) appends to its own `vectors.<name>.bin`, every file is read, and `mergeShards`
// folds them into `vectors.bin`.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Format version of `meta.json` and `vectors.bin`. */
export const EMBEDDING_CACHE_VERSION = 1;

const KEY_BYTES = 32;
const MAIN_FILE = 'vectors.bin';
/** `vectors.bin` and the shard files beside it. */
const VECTOR_FILE = /^vectors(\.[\w-]+)?\.bin$/;

export interface EmbeddingSpace {
  backboneId: string;
  inputSize: [number, number];
  preprocessVersion: number;
  featureDim: number;
}

interface CacheMeta extends EmbeddingSpace {
  version: number;
}

export interface CacheEntry {
  /** Content hash of the image (sha256 hex). */
  hash: string;
  /** `''` for the image itself, else a tag naming the augmented view. */
  view: string;
  vector: Float32Array;
}

function recordKey(hash: string, view: string): string {
  return crypto.createHash('sha256').update(`${hash}\0${view}`).digest('hex');
}

/** The folder of a key space: readable, and unique per (backbone id, size, preprocessing version). */
export function embeddingSpaceDir(stateDir: string, space: EmbeddingSpace): string {
  const safeId = space.backboneId.replace(/[^A-Za-z0-9._@-]/g, '_');
  return path.join(stateDir, 'embeddings', `${safeId}-${space.inputSize[0]}x${space.inputSize[1]}-p${space.preprocessVersion}`);
}

export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();
  private readonly recordBytes: number;

  private constructor(
    readonly dir: string,
    readonly space: EmbeddingSpace,
    /** The file new vectors are appended to: `vectors.bin`, or a shard's own file. */
    readonly appendFile: string,
  ) {
    this.recordBytes = KEY_BYTES + 4 * space.featureDim;
  }

  /**
   * Opens (or creates) the cache of `space` under `stateDir`, loading every stored vector (of `vectors.bin` and every
   * shard file). `appendTo` names the file this process appends to (`vectors.<name>.bin`; default `vectors.bin`).
   */
  static async open(stateDir: string, space: EmbeddingSpace, options: { appendTo?: string } = {}): Promise<EmbeddingCache> {
    const appendTo = options.appendTo ?? MAIN_FILE;
    if (!VECTOR_FILE.test(appendTo)) throw new Error(`embedding cache file must be named vectors[.<name>].bin, got ${appendTo}`);
    const dir = embeddingSpaceDir(stateDir, space);
    await fs.promises.mkdir(dir, { recursive: true });
    const metaPath = path.join(dir, 'meta.json');
    const meta: CacheMeta = { version: EMBEDDING_CACHE_VERSION, ...space };
    const cache = new EmbeddingCache(dir, space, path.join(dir, appendTo));
    let stored: Partial<CacheMeta> | undefined;
    try {
      stored = JSON.parse(await fs.promises.readFile(metaPath, 'utf8')) as Partial<CacheMeta>;
    } catch {
      stored = undefined;
    }
    const same = stored && stored.version === meta.version && stored.featureDim === meta.featureDim && stored.backboneId === meta.backboneId;
    if (!same) {
      // Missing, unreadable or from another format: start afresh rather than misread vectors.
      for (const file of await cache.vectorFiles()) await fs.promises.rm(file, { force: true });
      await fs.promises.writeFile(metaPath, JSON.stringify(meta, null, 2));
      return cache;
    }
    await cache.load();
    return cache;
  }

  get size(): number {
    return this.vectors.size;
  }

  get(hash: string, view = ''): Float32Array | undefined {
    return this.vectors.get(recordKey(hash, view));
  }

  has(hash: string, view = ''): boolean {
    return this.vectors.has(recordKey(hash, view));
  }

  /** Stores the vectors in memory and appends them to disk in one write. */
  async putMany(entries: readonly CacheEntry[]): Promise<void> {
    const fresh = entries.filter((e) => !this.has(e.hash, e.view));
    if (fresh.length === 0) return;
    const buffer = Buffer.alloc(fresh.length * this.recordBytes);
    fresh.forEach((entry, i) => {
      if (entry.vector.length !== this.space.featureDim) {
        throw new Error(`embedding has ${entry.vector.length} values, the cache holds ${this.space.featureDim}`);
      }
      const offset = i * this.recordBytes;
      const key = recordKey(entry.hash, entry.view);
      buffer.write(key, offset, 'hex');
      Buffer.from(entry.vector.buffer, entry.vector.byteOffset, entry.vector.byteLength).copy(buffer, offset + KEY_BYTES);
      this.vectors.set(key, Float32Array.from(entry.vector));
    });
    await fs.promises.appendFile(this.appendFile, buffer);
  }

  /**
   * Folds the shard files into `vectors.bin` (written whole to a temporary name and renamed; a crash before the shard
   * files are removed only leaves records that load as duplicates). Returns how many shard files were merged.
   */
  async mergeShards(): Promise<number> {
    const shards = (await this.vectorFiles()).filter((file) => path.basename(file) !== MAIN_FILE);
    if (shards.length === 0) return 0;
    const main = path.join(this.dir, MAIN_FILE);
    const tmp = `${main}.tmp-${process.pid}`;
    const buffer = Buffer.alloc(this.vectors.size * this.recordBytes);
    let offset = 0;
    for (const [key, vector] of this.vectors) {
      buffer.write(key, offset, 'hex');
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(buffer, offset + KEY_BYTES);
      offset += this.recordBytes;
    }
    await fs.promises.writeFile(tmp, buffer);
    await fs.promises.rename(tmp, main);
    for (const file of shards) await fs.promises.rm(file, { force: true });
    return shards.length;
  }

  /** `vectors.bin` first, then the shard files by name. */
  async vectorFiles(): Promise<string[]> {
    const names = (await fs.promises.readdir(this.dir).catch(() => [] as string[])).filter((name) => VECTOR_FILE.test(name));
    return names.sort((a, b) => Number(b === MAIN_FILE) - Number(a === MAIN_FILE) || a.localeCompare(b)).map((name) => path.join(this.dir, name));
  }

  private async load(): Promise<void> {
    for (const file of await this.vectorFiles()) await this.loadFile(file);
  }

  private async loadFile(file: string): Promise<void> {
    let data: Buffer;
    try {
      data = await fs.promises.readFile(file);
    } catch {
      return;
    }
    const whole = Math.floor(data.length / this.recordBytes);
    // A crash mid-append leaves a partial record: drop it from the file this process appends to, so its appends stay
    // aligned (another shard's file may be mid-append by its own process: its tail is only skipped).
    if (whole * this.recordBytes !== data.length && file === this.appendFile) await fs.promises.truncate(file, whole * this.recordBytes);
    const floats = new Float32Array(whole * this.space.featureDim);
    for (let i = 0; i < whole; i++) {
      const offset = i * this.recordBytes;
      const key = data.toString('hex', offset, offset + KEY_BYTES);
      const row = floats.subarray(i * this.space.featureDim, (i + 1) * this.space.featureDim);
      // Copy through a Buffer view: the file bytes are not 4-byte aligned in general.
      Buffer.from(row.buffer, row.byteOffset, row.byteLength).set(data.subarray(offset + KEY_BYTES, offset + this.recordBytes));
      this.vectors.set(key, row);
    }
  }
}
