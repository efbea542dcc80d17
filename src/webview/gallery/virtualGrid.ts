// A grid that keeps DOM nodes only for the rows on screen (plus a margin). Datasets reach 50,000 images: one
// element per image would cost hundreds of MB and seconds of layout, and CSS `content-visibility` still builds
// every node. Tiles are recycled: scrolling re-fills a fixed pool instead of creating elements.

const CAPTION_HEIGHT = 54;
const GAP = 6;
const OVERSCAN_ROWS = 2;

export class VirtualGrid<T> {
  private items: readonly T[] = [];
  private readonly sizer: HTMLDivElement;
  private readonly pool: HTMLElement[] = [];
  /** Which item index each pooled tile shows, so unchanged tiles are not re-rendered. */
  private readonly shown = new Map<HTMLElement, number>();
  private columnCount = 1;
  private frame = 0;
  onScroll: ((scrollTop: number) => void) | undefined;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly render: (tile: HTMLElement, item: T, index: number) => void,
    private tileSize: number,
  ) {
    this.sizer = document.createElement('div');
    this.sizer.className = 'grid-sizer';
    this.sizer.setAttribute('role', 'grid');
    viewport.append(this.sizer);
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
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
    this.layout();
  }

  scrollTo(scrollTop: number): void {
    this.viewport.scrollTop = scrollTop;
    this.layout();
  }

  /** Re-renders the tile of `index` now, if it is on screen (an edit must show within the same frame). */
  refresh(index: number): void {
    for (const [tile, shownIndex] of this.shown) {
      if (shownIndex === index) this.render(tile, this.items[index], index);
    }
  }

  /** Re-renders every tile on screen (focus or selection changed). */
  refreshAll(): void {
    for (const [tile, index] of this.shown) this.render(tile, this.items[index], index);
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

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.layout();
      this.onScroll?.(this.viewport.scrollTop);
    });
  }

  private layout(): void {
    const width = this.viewport.clientWidth || this.tileSize;
    this.columnCount = Math.max(1, Math.floor((width + GAP) / (this.tileSize + GAP)));
    const rows = Math.ceil(this.items.length / this.columnCount);
    this.sizer.style.height = `${rows * this.rowHeight}px`;
    const firstRow = Math.max(0, Math.floor(this.viewport.scrollTop / this.rowHeight) - OVERSCAN_ROWS);
    const visibleRows = Math.ceil((this.viewport.clientHeight || this.rowHeight) / this.rowHeight) + 2 * OVERSCAN_ROWS;
    const first = firstRow * this.columnCount;
    const last = Math.min(this.items.length, (firstRow + visibleRows) * this.columnCount);
    while (this.pool.length < last - first) {
      const tile = document.createElement('div');
      this.pool.push(tile);
      this.sizer.append(tile);
    }
    this.pool.forEach((tile, slot) => {
      const index = first + slot;
      if (index >= last) {
        tile.hidden = true;
        this.shown.delete(tile);
        return;
      }
      tile.hidden = false;
      const column = index % this.columnCount;
      const row = Math.floor(index / this.columnCount);
      tile.style.transform = `translate(${column * (this.tileSize + GAP)}px, ${row * this.rowHeight}px)`;
      tile.style.width = `${this.tileSize}px`;
      tile.style.height = `${this.tileSize + CAPTION_HEIGHT}px`;
      if (this.shown.get(tile) !== index) {
        this.render(tile, this.items[index], index);
        this.shown.set(tile, index);
      }
    });
  }
}
