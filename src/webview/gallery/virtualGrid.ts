// A grid that keeps DOM nodes only for the rows on screen (plus a margin). Datasets reach 50,000 images: one
// element per image would cost hundreds of MB and seconds of layout, and CSS `content-visibility` still builds
// every node. Tiles are recycled: scrolling re-fills a fixed pool instead of creating elements.

const CAPTION_HEIGHT = 54;
const GAP = 6;
const OVERSCAN_ROWS = 2;

/** Fills pooled tiles. Images are split off: starting a load is the costly part, and fast scrolls skip it. */
export interface TileRenderer<T> {
  /** Shows `item` on `tile` without starting its image load. */
  render(tile: HTMLElement, item: T, index: number): void;
  /**
   * Starts the image load `render` left pending: nothing scrolls (`scrolling` false), or the tile stayed on screen
   * for a frame while the grid scrolls.
   */
  settle(tile: HTMLElement, item: T, index: number, scrolling: boolean): void;
  /** Drops the tile's image: the tile left the pool or shows nothing, and should not keep a decoded image. */
  release(tile: HTMLElement): void;
}

export class VirtualGrid<T> {
  private items: readonly T[] = [];
  private readonly sizer: HTMLDivElement;
  private readonly pool: HTMLElement[] = [];
  /** Which item index each pooled tile shows, so unchanged tiles are not re-rendered. */
  private readonly shown = new Map<HTMLElement, number>();
  /** Tiles rendered in the last layout whose image is not loading yet. */
  private readonly unsettled = new Set<HTMLElement>();
  private columnCount = 1;
  private frame = 0;
  /** Whether a scroll event came since the last layout: only then may tiles be gone by the next frame. */
  private scrolled = false;
  /** Viewport size, kept from the resize observer: reading it during a scroll frame would force a layout. */
  private width = 0;
  private height = 0;
  private sizerHeight = -1;
  private scrollTop = 0;
  onScroll: ((scrollTop: number) => void) | undefined;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly renderer: TileRenderer<T>,
    private tileSize: number,
  ) {
    this.sizer = document.createElement('div');
    this.sizer.className = 'grid-sizer';
    this.sizer.setAttribute('role', 'grid');
    viewport.append(this.sizer);
    viewport.addEventListener(
      'scroll',
      () => {
        this.scrolled = true;
        this.schedule();
      },
      { passive: true },
    );
    new ResizeObserver(() => {
      this.measure();
      this.schedule();
    }).observe(viewport);
  }

  get columns(): number {
    return this.columnCount;
  }

  /** Whole rows that fit on screen (for Page Up / Page Down). */
  get rowsPerPage(): number {
    return Math.max(1, Math.floor(this.viewport.clientHeight / this.rowHeight));
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.shown.clear();
    this.layout();
  }

  setTileSize(size: number): void {
    this.tileSize = size;
    this.shown.clear();
    for (const tile of this.pool) this.place(tile, -1);
    this.layout();
  }

  scrollTo(scrollTop: number): void {
    this.viewport.scrollTop = scrollTop;
    this.layout();
  }

  /** Re-renders the tile of `index` now, if it is on screen (an edit must show within the same frame). */
  refresh(index: number): void {
    for (const [tile, shownIndex] of this.shown) {
      if (shownIndex === index) this.rerender(tile, index);
    }
  }

  /** Re-renders every tile on screen (focus or selection changed). */
  refreshAll(): void {
    for (const [tile, index] of this.shown) this.rerender(tile, index);
  }

  /** Scrolls the least needed to bring `index` fully on screen. */
  reveal(index: number): void {
    const top = Math.floor(index / this.columnCount) * this.rowHeight;
    const bottom = top + this.rowHeight;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (bottom > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = bottom - this.viewport.clientHeight + GAP;
    this.layout();
  }

  private get rowHeight(): number {
    return this.tileSize + CAPTION_HEIGHT + GAP;
  }

  /** A tile that keeps its item has nothing moving under it: its image may load at once. */
  private rerender(tile: HTMLElement, index: number): void {
    this.renderer.render(tile, this.items[index], index);
    this.renderer.settle(tile, this.items[index], index, false);
    this.unsettled.delete(tile);
  }

  private measure(): void {
    this.width = this.viewport.clientWidth;
    this.height = this.viewport.clientHeight;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.layout(!this.scrolled);
      this.onScroll?.(this.scrollTop);
    });
  }

  /**
   * All reads come first, then only writes: a read after a write in the same frame forces a second layout.
   * `settleNow` when nothing scrolls (open, filter, keyboard): images load at once instead of a frame later.
   */
  private layout(settleNow = true): void {
    this.scrolled = false;
    if (!this.width) this.measure();
    const width = this.width || this.tileSize;
    const columns = Math.max(1, Math.floor((width + GAP) / (this.tileSize + GAP)));
    // Every index moves when the column count changes.
    if (columns !== this.columnCount) this.shown.clear();
    this.columnCount = columns;
    const rows = Math.ceil(this.items.length / this.columnCount);
    const sizerHeight = rows * this.rowHeight;
    // Fewer items than before (a filter) leave the scroll position past the new end until the browser clamps it, a
    // frame later: clamped here, the last rows show at once instead of an empty grid.
    const scrollTop = (this.scrollTop = Math.min(this.viewport.scrollTop, Math.max(0, sizerHeight - this.height)));
    if (sizerHeight !== this.sizerHeight) {
      this.sizerHeight = sizerHeight;
      this.sizer.style.height = `${sizerHeight}px`;
    }
    const visibleRows = Math.ceil((this.height || this.rowHeight) / this.rowHeight) + 2 * OVERSCAN_ROWS;
    this.resizePool(visibleRows * this.columnCount);
    const firstRow = Math.max(0, Math.floor(scrollTop / this.rowHeight) - OVERSCAN_ROWS);
    const first = firstRow * this.columnCount;
    const last = Math.min(this.items.length, first + this.pool.length);
    // Item i lives in slot i mod pool size: scrolling by a row re-fills only that row's tiles, the rest keep theirs.
    const wasUnsettled = new Set(this.unsettled);
    this.unsettled.clear();
    this.pool.forEach((tile, slot) => {
      const index = first + ((slot - (first % this.pool.length) + this.pool.length) % this.pool.length);
      if (index >= last) {
        if (!tile.hidden) {
          tile.hidden = true;
          this.renderer.release(tile);
        }
        this.shown.delete(tile);
        return;
      }
      tile.hidden = false;
      if (this.shown.get(tile) !== index) {
        this.place(tile, index);
        this.renderer.render(tile, this.items[index], index);
        this.shown.set(tile, index);
        if (settleNow) this.renderer.settle(tile, this.items[index], index, false);
        else this.unsettled.add(tile);
      } else if (wasUnsettled.has(tile)) this.renderer.settle(tile, this.items[index], index, true);
    });
    // A frame later, tiles still showing the same item load their images, even if no scroll event comes.
    if (this.unsettled.size) this.schedule();
  }

  /** Keeps exactly as many tiles as the viewport needs: a smaller viewport or larger tiles free the rest. */
  private resizePool(size: number): void {
    while (this.pool.length < size) {
      const tile = document.createElement('div');
      tile.hidden = true;
      this.pool.push(tile);
      this.sizer.append(tile);
      this.place(tile, -1);
    }
    if (this.pool.length > size) {
      for (const tile of this.pool.splice(size)) {
        this.renderer.release(tile);
        this.shown.delete(tile);
        this.unsettled.delete(tile);
        tile.remove();
      }
      // Slots map to other items now.
      this.shown.clear();
    }
  }

  /** Positions by transform only; size is written once per tile size (index −1), not every frame. */
  private place(tile: HTMLElement, index: number): void {
    if (index < 0) {
      tile.style.width = `${this.tileSize}px`;
      tile.style.height = `${this.tileSize + CAPTION_HEIGHT}px`;
      return;
    }
    const column = index % this.columnCount;
    const row = Math.floor(index / this.columnCount);
    tile.style.transform = `translate(${column * (this.tileSize + GAP)}px, ${row * this.rowHeight}px)`;
  }
}
