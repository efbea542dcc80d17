// The gallery's items as the webview holds them: in item-id order (the host sends its pages that way), indexed by
// id and position, with the counts next to the filters kept up to date item by item rather than recounted.
import type { GalleryItem, ItemPages } from '../../shared/protocol';
import { FacetTally } from './facets';
import type { FacetCounts } from './facets';
import { compareIds, isSortedById } from '../../shared/itemOrder';

export class ItemStore {
  private list: GalleryItem[] = [];
  private readonly byId = new Map<string, GalleryItem>();
  /** Position of each id in `list`. */
  private readonly positions = new Map<string, number>();
  private tally = new FacetTally();
  private generation = -1;
  /** How many items the current generation has in all (more than `items.length` while pages are on their way). */
  total = 0;

  /** Every item received, in id order. */
  get items(): readonly GalleryItem[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  get loading(): boolean {
    return this.list.length < this.total;
  }

  get(id: string): GalleryItem | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Starts a generation with its first page. */
  reset(pages: ItemPages): void {
    this.generation = pages.generation;
    this.total = pages.total;
    this.list = [];
    this.byId.clear();
    this.positions.clear();
    this.tally = new FacetTally();
    this.add(pages.items);
  }

  /** Appends a page of the current generation; false (and nothing changes) for a page of an older one. */
  append(generation: number, page: readonly GalleryItem[]): boolean {
    if (generation !== this.generation) return false;
    this.add(page);
    return true;
  }

  /**
   * Upserts changed items and drops removed ones. Returns true when items appeared or disappeared (the view must
   * be filtered again); changed items keep their place.
   */
  patch(changed: readonly GalleryItem[], removed: readonly string[]): boolean {
    const gone = new Set<string>();
    for (const id of removed) {
      const item = this.byId.get(id);
      if (!item) continue;
      this.tally.remove(item);
      this.byId.delete(id);
      gone.add(id);
    }
    const added: GalleryItem[] = [];
    for (const item of changed) {
      const before = this.byId.get(item.id);
      if (before) {
        this.tally.remove(before);
        this.list[this.positions.get(item.id)!] = item;
      } else added.push(item);
      this.byId.set(item.id, item);
      this.tally.add(item);
    }
    if (!gone.size && !added.length) return false;
    this.total += added.length - gone.size;
    if (gone.size) this.list = this.list.filter((item) => !gone.has(item.id));
    for (const item of added) this.list.push(item);
    this.list.sort(compareIds);
    this.reindex();
    return true;
  }

  /** Counts by label, prediction, split, source, ... over every item received. */
  facets(): FacetCounts {
    return this.tally.counts;
  }

  private add(page: readonly GalleryItem[]): void {
    const from = this.list.length;
    for (const item of page) {
      if (this.byId.has(item.id)) continue;
      this.byId.set(item.id, item);
      this.positions.set(item.id, this.list.length);
      this.list.push(item);
      this.tally.add(item);
    }
    // Pages come in id order (the host holds back patches until the last page is sent); anything else is sorted.
    if (!isSortedById(this.list, from)) {
      this.list.sort(compareIds);
      this.reindex();
    }
  }

  private reindex(): void {
    this.positions.clear();
    this.list.forEach((item, index) => this.positions.set(item.id, index));
  }
}
