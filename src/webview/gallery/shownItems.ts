// What the grid shows now: the received items filtered and sorted, or the issue queue of them, or a host's list,
// with each id's place made when first needed after a change (400,000 entries take a while to index).
import { applyFilter } from './filters';
import type { FilterState } from './filters';
import { queueOf } from './issueQueue';
import type { ItemStore } from './itemStore';
import type { GalleryItem } from '../../shared/protocol';

export class ShownItems {
  items: GalleryItem[] = [];
  ids: string[] = [];
  private positions: Map<string, number> | undefined;

  constructor(private readonly store: ItemStore) {}

  get length(): number {
    return this.items.length;
  }

  indexOf(id: string): number | undefined {
    return (this.positions ??= new Map(this.ids.map((id, index) => [id, index]))).get(id);
  }

  has(id: string): boolean {
    return this.indexOf(id) !== undefined;
  }

  rebuild(filter: FilterState, issueQueue: boolean): void {
    // Measured (the benchmark reads it): the script's share of a filter change, apart from painting the tiles.
    const started = performance.now();
    const filtered = applyFilter(this.store.items, filter, (id) => this.store.get(id));
    this.items = issueQueue ? queueOf(filtered) : filtered;
    this.ids = this.items.map((item) => item.id);
    this.positions = undefined;
    performance.clearMeasures('xray:rebuild-view');
    performance.measure('xray:rebuild-view', { start: started });
  }

  /** An item changed in place: the grid shows it at the same index. */
  replace(index: number, item: GalleryItem): void {
    this.items[index] = item;
  }
}
