// Messages between a dataset scan's worker process (`scanWorker.ts`) and the process that asked for it (`scanInWorker.ts`).
import type { Dataset, DatasetItem } from '../types';

/** A dataset without its items, which go over in parts of `ITEMS_PER_MESSAGE`. */
export type DatasetHeader = Omit<Dataset, 'items'>;

/** What the worker gets at start (as its one argument, in JSON). */
export interface ScanStart {
  root: string;
  /** Post the folder listing (provisional items) before reading the files. */
  listing: boolean;
  /** Items per message (default `ITEMS_PER_MESSAGE`). */
  partSize?: number;
  /** The snapshot's fingerprint and label sources: when the folder's is the same, the worker says so and stops. */
  unchangedIf?: { fingerprint: string; sources: string[] };
}

/** `taken`: the last `listed` or `items` part was taken, the next may come. */
export type ToScanWorker = { type: 'cancel' } | { type: 'taken' } | { type: 'save' };

export type FromScanWorker =
  /** A part of the folder listing, with the listing's size and its items per folder label (`unlabeled`: none). */
  | { type: 'listed'; items: DatasetItem[]; last: boolean; total: number; counts: Record<string, number> }
  | { type: 'read'; done: number; total: number }
  | { type: 'items'; items: DatasetItem[] }
  /** Every item went over as `items`: the rest of the dataset. The worker then waits for `save` or its end. */
  | { type: 'scanned'; dataset: DatasetHeader }
  /** The folder's fingerprint is `unchangedIf`'s: no scan, nothing more comes. */
  | { type: 'unchanged' }
  | { type: 'saved'; warning: string | null }
  | { type: 'failed'; message: string; cancelled: boolean };

/**
 * Items per message: bounds what a message copies at once on either side. Small parts (a few hundred kilobytes)
 * reuse the memory the last one freed; at 10,000 a part, the extension host kept 140 MB more of 400,000 items'
 * message buffers after the scan, and peaked 130 MB higher.
 */
export const ITEMS_PER_MESSAGE = 2_000;
