// A scan arriving in parts (from its worker process), merged into the snapshot the gallery already shows: the
// snapshot's objects stay for every unchanged item, so the thread never holds two whole datasets.
import { compareIds } from '../shared/itemOrder';
import type { Dataset, DatasetItem } from './types';

/** What a scan found different from the snapshot: ids added, ids removed, and ids whose scanned facts changed. */
export interface ScanChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export class ScanMerge {
  private readonly before: ReadonlyMap<string, DatasetItem> | undefined;
  /** Snapshot items the scan found again, unchanged. */
  private readonly kept = new Set<DatasetItem>();
  /** Items the scan found new or changed (every item when there is no snapshot). */
  private readonly fresh: DatasetItem[] = [];
  private readonly changes: ScanChanges = { added: [], removed: [], changed: [] };

  /** `before`: the snapshot by id, or undefined when every scanned item is new. */
  constructor(before?: ReadonlyMap<string, DatasetItem>) {
    this.before = before;
  }

  add(items: readonly DatasetItem[]): void {
    for (const item of items) {
      const was = this.before?.get(item.id);
      if (was && scannedFacts(was) === scannedFacts(item)) {
        this.kept.add(was);
        continue;
      }
      this.fresh.push(item);
      if (this.before) (was ? this.changes.changed : this.changes.added).push(item.id);
    }
  }

  /** The merged dataset (`scanned`'s header; the snapshot's items where unchanged, in id order), and what changed ('all' without a snapshot). */
  finish(scanned: Omit<Dataset, 'items'>): { dataset: Dataset; changes: ScanChanges | 'all' } {
    if (!this.before) return { dataset: { ...scanned, items: this.fresh }, changes: 'all' };
    const fresh = new Map(this.fresh.map((item) => [item.id, item]));
    const items: DatasetItem[] = [];
    for (const [id, was] of this.before) {
      const now = this.kept.has(was) ? was : fresh.get(id);
      if (now) items.push(now);
      else this.changes.removed.push(id);
    }
    for (const id of this.changes.added) items.push(fresh.get(id)!);
    if (this.changes.added.length) items.sort(compareIds);
    return { dataset: { ...scanned, items }, changes: this.changes };
  }
}

function scannedFacts(item: DatasetItem): string {
  return JSON.stringify([item.hash, item.sourceLabel, item.error, item.format, item.width, item.height, item.metadata, item.sourceFindings]);
}
