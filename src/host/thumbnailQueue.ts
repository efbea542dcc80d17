// The gallery's thumbnails: which items have one in the cache, and a queue that makes the missing ones the webview
// asks for, the most recently asked first, pushed to the webview in batches.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { thumbnail, thumbnailPath } from '../dataset';
import type { DatasetItem } from '../dataset';

/** Thumbnails made at once: sharp decodes on the libuv pool, and this machine has 2 cores. */
const THUMBNAIL_CONCURRENCY = 2;
/** How long newly made thumbnails are collected before they are pushed to the webview, in ms. */
const THUMBNAIL_PUSH_MS = 150;
/** Most thumbnail requests kept waiting: a few screens of tiles. */
const MAX_QUEUED_THUMBNAILS = 500;

export class ThumbnailQueue {
  /** Content hashes whose thumbnail (at this size) exists in the cache folder: thumbnails are content-addressed. */
  private readonly made = new Set<string>();
  private readonly failed = new Set<string>();
  /** Ids waiting for a thumbnail, oldest request first. */
  private readonly queue = new Set<string>();
  private workers = 0;
  private readonly fresh: string[] = [];
  private pushTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private listing: Promise<void> | undefined;

  constructor(
    /** The cache folder (the extension's global storage); none: no thumbnails, tiles show the originals. */
    readonly dir: string | undefined,
    /** `xrayCurator.thumbnailSize` when the panel opened (thumbnails are cached per size). */
    private readonly size: number,
    private readonly itemOf: (id: string) => DatasetItem | undefined,
    /** Called with the ids of thumbnails made since the last call. */
    private readonly onMade: (ids: string[]) => void,
  ) {}

  /**
   * Learns which thumbnails the cache holds, once, by listing its folders (a stat per item would block the
   * extension host for seconds at 400,000 items). Resolves when done; failures leave the set empty.
   */
  listCache(): Promise<void> {
    this.listing ??= (async () => {
      if (!this.dir) return;
      const suffix = `-${this.size}.webp`;
      const folders = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
      for (const folder of folders) {
        if (!/^[0-9a-f]{2}$/.test(folder)) continue;
        for (const name of await fs.promises.readdir(path.join(this.dir, folder)).catch(() => [] as string[])) {
          if (name.endsWith(suffix)) this.made.add(name.slice(0, -suffix.length));
        }
      }
    })();
    return this.listing;
  }

  /** The cached thumbnail of an item, relative to the cache folder, when it has been made. */
  fileOf(item: DatasetItem): string | undefined {
    return this.dir && item.hash && !item.error && this.made.has(item.hash) ? path.relative(this.dir, thumbnailPath(this.dir, item.hash, this.size)).split(path.sep).join('/') : undefined;
  }

  /**
   * Queues thumbnails the webview wants (tiles on screen without one); the most recently asked are made first, so
   * after a fast scroll the tiles now on screen win. Tiles show the original until theirs is pushed.
   */
  request(ids: readonly string[]): void {
    if (!this.dir) return;
    for (const id of ids) {
      const item = this.itemOf(id);
      if (!item?.hash || item.error || this.made.has(item.hash) || this.failed.has(item.hash)) continue;
      this.queue.delete(id);
      this.queue.add(id);
    }
    // Requests long scrolled past are dropped; their tiles ask again if they come back on screen.
    for (const stale of this.queue) {
      if (this.queue.size <= MAX_QUEUED_THUMBNAILS) break;
      this.queue.delete(stale);
    }
    while (this.workers < THUMBNAIL_CONCURRENCY && this.queue.size > 0) {
      this.workers++;
      void this.work(this.dir).finally(() => this.workers--);
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pushTimer);
    this.queue.clear();
  }

  private async work(dir: string): Promise<void> {
    while (this.queue.size > 0 && !this.disposed) {
      const id = [...this.queue].pop()!;
      this.queue.delete(id);
      const item = this.itemOf(id);
      if (!item?.hash) continue;
      try {
        await thumbnail(item.absPath, item.hash, dir, this.size);
        this.made.add(item.hash);
        this.fresh.push(id);
        this.pushTimer ??= setTimeout(() => {
          this.pushTimer = undefined;
          this.onMade(this.fresh.splice(0));
        }, THUMBNAIL_PUSH_MS);
      } catch {
        // Undecodable files keep showing their error or the original; not tried again.
        this.failed.add(item.hash);
      }
    }
  }
}
