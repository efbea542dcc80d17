// The region maps of a dataset's images on disk, in `<state>/region-maps/<backbone>-<layer>/`: `meta.json` plus
// `maps.bin`, appended to as images are first searched. A record is [32-byte content hash][float32 scale]
// [grid × grid × channels int8]. Content-addressed and append-only like the embedding cache: a kill mid-write
// leaves a short last record, which is ignored and written again.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { REGION_LAYER } from './regionFeatures';

/** Format version of `meta.json` and `maps.bin`. */
export const REGION_CACHE_VERSION = 1;

export interface RegionSpace {
  backboneId: string;
  inputSize: [number, number];
  preprocessVersion: number;
  grid: number;
  channels: number;
}

interface RegionMeta extends RegionSpace {
  version: number;
  layer: string;
}

const HASH_BYTES = 32;

export class RegionCache {
  /** Where each map is: the file as read, then one chunk per batch appended since. */
  private readonly records = new Map<string, { chunk: Buffer; at: number }>();
  /** Whole records of the file as read (a short last one cut off). */
  private readonly fileBytes: number;
  private appended = false;

  private constructor(
    readonly dir: string,
    readonly space: RegionSpace,
    read: Buffer,
  ) {
    this.fileBytes = read.length - (read.length % this.recordBytes);
    this.index(read.subarray(0, this.fileBytes));
  }

  get mapBytes(): number {
    return this.space.grid * this.space.grid * this.space.channels;
  }

  private get recordBytes(): number {
    return HASH_BYTES + 4 + this.mapBytes;
  }

  /** Opens (or starts) the cache of `space`; a folder written for another layout is started afresh. */
  static async open(stateDir: string, space: RegionSpace): Promise<RegionCache> {
    const dir = path.join(stateDir, 'region-maps', `${space.backboneId.replace(/[^A-Za-z0-9._@-]/g, '_')}-${REGION_LAYER}`);
    await fs.mkdir(dir, { recursive: true });
    const meta: RegionMeta = { version: REGION_CACHE_VERSION, layer: REGION_LAYER, ...space };
    const metaFile = path.join(dir, 'meta.json');
    const old = await fs.readFile(metaFile, 'utf8').then((text) => text, () => '');
    const fresh = old !== JSON.stringify(meta);
    if (fresh) {
      await fs.rm(path.join(dir, 'maps.bin'), { force: true });
      await fs.writeFile(metaFile, JSON.stringify(meta));
    }
    const bytes = fresh ? Buffer.alloc(0) : await fs.readFile(path.join(dir, 'maps.bin')).catch(() => Buffer.alloc(0));
    return new RegionCache(dir, space, bytes);
  }

  has(hash: string): boolean {
    return this.records.has(hash);
  }

  /** The map of `hash` as `{data, scale}` views into the loaded file. */
  get(hash: string): { data: Int8Array; scale: number } | undefined {
    const record = this.records.get(hash);
    if (!record) return undefined;
    const { chunk, at } = record;
    return { data: new Int8Array(chunk.buffer, chunk.byteOffset + at + HASH_BYTES + 4, this.mapBytes), scale: chunk.readFloatLE(at + HASH_BYTES) };
  }

  /** Appends maps (one write, so a kill loses at most the batch) and makes them readable. */
  async putMany(entries: readonly { hash: string; data: Int8Array; scale: number }[]): Promise<void> {
    const fresh = entries.filter((e) => !this.records.has(e.hash));
    if (!fresh.length) return;
    const chunk = Buffer.alloc(fresh.length * this.recordBytes);
    fresh.forEach((e, i) => {
      const at = i * this.recordBytes;
      chunk.write(e.hash, at, HASH_BYTES, 'hex');
      chunk.writeFloatLE(e.scale, at + HASH_BYTES);
      Buffer.from(e.data.buffer, e.data.byteOffset, e.data.length).copy(chunk, at + HASH_BYTES + 4);
    });
    const file = path.join(this.dir, 'maps.bin');
    // A short last record from a kill is cut before the first append, so the records stay aligned.
    if (!this.appended) await fs.truncate(file, this.fileBytes).catch(() => undefined);
    this.appended = true;
    await fs.appendFile(file, chunk);
    this.index(chunk);
  }

  private index(chunk: Buffer): void {
    for (let at = 0; at + this.recordBytes <= chunk.length; at += this.recordBytes) {
      this.records.set(chunk.toString('hex', at, at + HASH_BYTES), { chunk, at });
    }
  }
}
