import { fork } from 'node:child_process';
import * as path from 'node:path';
import { compactItem } from '../compactItem';
import { sharedItemPaths } from '../safePath';
import { ScanMerge } from '../scanMerge';
import type { Dataset, DatasetItem } from '../types';
import type { DatasetHeader, FromScanWorker, ScanStart, ToScanWorker } from './protocol';

/** How long a cancelled scan may take to stop by itself before its process is killed. */
const CANCEL_GRACE_MS = 5_000;

export interface WorkerScanOptions {
  signal?: AbortSignal;
  /**
   * The folder listing before any file is read (provisional items: no hashes), in parts; `last` ends it. `total`
   * and `counts` (items per folder label, `unlabeled`: none) are the whole listing's.
   */
  onListed?: (items: DatasetItem[], last: boolean, total: number, counts: Record<string, number>) => void;
  onRead?: (done: number, total: number) => void;
  /** The scanned items, in parts: the caller keeps what it needs, so no thread holds two whole datasets. */
  onItems: (items: DatasetItem[]) => void;
  /** Items per part (default `ITEMS_PER_MESSAGE`). */
  partSize?: number;
  /** A snapshot's fingerprint and label sources: the folder is only walked and stat'ed, and scanned when it differs. */
  unchangedIf?: { fingerprint: string; sources: string[] };
}

/**
 * A finished scan: its dataset without the items, and the worker, which still holds them for the snapshot; or
 * 'unchanged' when the folder's fingerprint was `unchangedIf`'s (no items came, nothing to save).
 */
export interface WorkerScan {
  dataset: DatasetHeader | 'unchanged';
  /** Saves the scan as the dataset's snapshot and ends the worker; returns a warning instead of throwing. */
  saveSnapshot(): Promise<string | null>;
  /** Ends the worker without saving. */
  end(): void;
}

/**
 * `openDataset` in a worker process: the extension host's thread stays free, and the scan's working memory (at
 * 400,000 items, a gigabyte of file facts, listings and JSON) is never the extension host's. A worker thread's went
 * back to the allocator when it ended, not to the system: the host kept hundreds of megabytes it no longer used.
 * The worker file sits beside this module: `dist/scanWorker.js` in the bundle, `out/src/dataset/scanWorker/scanWorker.js`
 * in tests. Items go over as structured clones ('advanced' serialization), in parts, each once the last was taken.
 */
export function scanInWorker(root: string, options: WorkerScanOptions): Promise<WorkerScan> {
  const start: ScanStart = {
    root,
    listing: options.onListed !== undefined,
    ...(options.partSize ? { partSize: options.partSize } : {}),
    ...(options.unchangedIf ? { unchangedIf: options.unchangedIf } : {}),
  };
  // No inherited `--inspect` (a debugged extension host) or heap flags: the scan is a plain Node process. In desktop
  // VS Code the extension host's executable is Electron's, which runs as Node only when told (as VS Code's own
  // TypeScript extension tells its server).
  const worker = fork(path.join(__dirname, 'scanWorker.js'), [JSON.stringify(start)], {
    serialization: 'advanced',
    execArgv: [],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pathOf = sharedItemPaths(path.resolve(root));
  /** The parts arrive as structured clones: rebuilt in one layout, their paths sharing the root (see `compactItem`). */
  const compact = (items: DatasetItem[]): DatasetItem[] => items.map((item) => compactItem(item, pathOf(item.id, item.absPath)));
  const send = (message: ToScanWorker): void => {
    if (worker.connected) worker.send(message);
  };
  let saved: ((warning: string | null) => void) | undefined;
  let ended = false;
  /** The cancel's grace period; cleared at the end, as its closure holds the callbacks and through them the items. */
  let grace: NodeJS.Timeout | undefined;
  const end = (): void => {
    ended = true;
    clearTimeout(grace);
    // A save still running (a cancel's grace period ran out) never ends now: its caller hears so.
    saved?.('scan cache not saved (the scan was stopped before its save ended)');
    saved = undefined;
    options.signal?.removeEventListener('abort', onAbort);
    worker.kill();
  };
  const onAbort = (): void => {
    send({ type: 'cancel' });
    grace = setTimeout(end, CANCEL_GRACE_MS).unref();
  };
  return new Promise<WorkerScan>((resolve, reject) => {
    const fail = (error: Error): void => {
      saved?.(`scan cache not saved (${error.message})`);
      saved = undefined;
      end();
      reject(error);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const take = (message: FromScanWorker): void => {
      switch (message.type) {
        case 'listed':
          options.onListed?.(compact(message.items), message.last, message.total, message.counts);
          send({ type: 'taken' });
          break;
        case 'read':
          options.onRead?.(message.done, message.total);
          break;
        case 'items':
          options.onItems(compact(message.items));
          send({ type: 'taken' });
          break;
        case 'scanned':
          resolve({
            dataset: message.dataset,
            saveSnapshot: () =>
              new Promise<string | null>((done) => {
                saved = done;
                send({ type: 'save' });
              }),
            end,
          });
          break;
        case 'unchanged':
          end();
          resolve({ dataset: 'unchanged', saveSnapshot: () => Promise.resolve(null), end });
          break;
        case 'saved':
          saved?.(message.warning);
          saved = undefined;
          end();
          break;
        case 'failed':
          fail(message.cancelled ? (options.signal?.reason instanceof Error ? options.signal.reason : new Error('the scan was cancelled')) : new Error(message.message));
          break;
      }
    };
    worker.on('message', (message: FromScanWorker) => {
      try {
        take(message);
      } catch (error) {
        // A callback that throws ends the scan with its error, not the extension host with an uncaught one.
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code, signal) => {
      if (!ended) fail(new Error(`the dataset scan stopped unexpectedly (${signal ?? `exit ${code}`})`));
    });
  });
}

/** `openDataset` of a default open (no image list, no options) in a worker process, the items gathered here. */
export async function openDatasetInWorker(root: string, signal?: AbortSignal): Promise<Dataset> {
  const merge = new ScanMerge();
  const scan = await scanInWorker(root, { ...(signal ? { signal } : {}), onItems: (items) => merge.add(items) });
  scan.end();
  // Asked without `unchangedIf`: always a scan.
  return merge.finish(scan.dataset as DatasetHeader).dataset;
}
