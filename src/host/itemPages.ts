// Sends a dataset's items to the webview in pages: a first page small enough to paint the first screens at once,
// then the rest in the background, in item-id order. Patches wait while pages are on their way, since the webview
// could not tell an item that is new from one that has not been sent yet.
import { PREVIEW_ITEMS } from '../dataset';
import type { DatasetItem } from '../dataset';
import type { GalleryItem, ItemPages, ItemsPageEvent } from '../shared/protocol';
import { compareIds, isSortedById } from '../shared/itemOrder';

/** The first page fills a 4K screen of the smallest tiles; a saved scan's preview holds exactly that page. */
const FIRST_PAGE_ITEMS = PREVIEW_ITEMS;
/**
 * Items per later page. Small pages reuse the memory the last one freed: at 10,000 a page the extension host
 * held 30–40 MB more after sending 400,000 items, with no page arriving sooner.
 */
const PAGE_ITEMS = 2_000;

export class ItemPager {
  private generation = 0;
  private sending = false;
  /** The generation started from a preview, waiting for its items. */
  private awaiting: number | undefined;
  /** How many items the current generation's first page had: the rest starts there. */
  private firstPage = 0;
  private readonly heldIds = new Set<string>();
  private readonly heldRemovals = new Set<string>();
  private disposed = false;

  constructor(
    private readonly send: (page: ItemsPageEvent) => void,
    private readonly toItem: (item: DatasetItem) => GalleryItem,
    /** Sends the patches held back while pages were on their way. */
    private readonly flush: (ids: string[], removed: string[]) => void,
  ) {}

  /**
   * A new generation of `items`: returns its first page; the others follow. With a `total` larger than `items`
   * (a preview: the first items only), the rest follow once `continue` gives all of them.
   */
  start(items: readonly DatasetItem[], total = items.length): ItemPages {
    const generation = ++this.generation;
    const sorted = inIdOrder(items);
    this.sending = total > FIRST_PAGE_ITEMS;
    this.awaiting = total > items.length ? generation : undefined;
    // After the reply or event carrying the first page has been posted.
    if (this.awaiting === undefined) setImmediate(() => void this.sendRest(generation, sorted));
    const first = sorted.slice(0, FIRST_PAGE_ITEMS);
    this.firstPage = first.length;
    return { items: first.map(this.toItem), total, generation };
  }

  /** Every item of the generation started from a preview (its first items the preview's): the rest are sent. */
  continue(items: readonly DatasetItem[]): void {
    const generation = this.awaiting;
    if (generation === undefined || generation !== this.generation) return;
    this.awaiting = undefined;
    const sorted = inIdOrder(items);
    setImmediate(() => void this.sendRest(generation, sorted));
  }

  /** Holds a patch while pages are on their way; false when it can be sent now. */
  hold(ids: readonly string[], removed: readonly string[]): boolean {
    if (!this.sending) return false;
    for (const id of ids) this.heldIds.add(id);
    for (const id of removed) this.heldRemovals.add(id);
    return true;
  }

  dispose(): void {
    this.disposed = true;
  }

  private async sendRest(generation: number, sorted: readonly DatasetItem[]): Promise<void> {
    for (let start = this.firstPage; start < sorted.length; start += PAGE_ITEMS) {
      if (generation !== this.generation || this.disposed) return;
      this.send({ type: 'itemsPage', generation, items: sorted.slice(start, start + PAGE_ITEMS).map(this.toItem) });
      // Edits and thumbnail requests are answered between pages.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (generation !== this.generation || this.disposed) return;
    this.sending = false;
    if (this.heldIds.size || this.heldRemovals.size) {
      const ids = [...this.heldIds];
      const removed = [...this.heldRemovals];
      this.heldIds.clear();
      this.heldRemovals.clear();
      this.flush(ids, removed);
    }
  }
}

function inIdOrder(items: readonly DatasetItem[]): readonly DatasetItem[] {
  return isSortedById(items) ? items : [...items].sort(compareIds);
}
