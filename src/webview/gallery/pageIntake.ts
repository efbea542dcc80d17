// Takes the host's pages of items into the store: the first page replaces everything, later pages are appended, and
// the view is filtered again at most every PAGE_REBUILD_MS while they arrive (each pass is over every item received).
import type { GalleryItem, ItemPages } from '../../shared/protocol';
import { prepareSearch } from './filters';
import type { ItemStore } from './itemStore';

const PAGE_REBUILD_MS = 250;

export class PageIntake {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: ItemStore,
    private readonly rebuild: () => void,
  ) {}

  /** A new set of items (the ready reply, `itemsChanged`): shown at once. */
  reset(pages: ItemPages): void {
    this.store.reset(pages);
    this.cancel();
    this.rebuild();
  }

  /** A later page: the view takes it in soon, or now for the last page. Pages of an older generation are dropped. */
  arrived(generation: number, items: readonly GalleryItem[]): void {
    if (!this.store.append(generation, items)) return;
    if (!this.store.loading) {
      this.cancel();
      prepareSearch(this.store.items);
      return this.rebuild();
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.rebuild();
    }, PAGE_REBUILD_MS);
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
