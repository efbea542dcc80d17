// A grid that keeps DOM nodes only for the rows on screen (plus a margin). Datasets reach 50,000 images: one
// element per image would cost hundreds of MB and seconds of layout, and CSS `content-visibility` still builds
// every node. Tiles are recycled: scrolling re-fills a fixed pool instead of creating elements.

const CAPTION_HEIGHT = 40;
const GAP = 6;
const OVERSCAN_ROWS = 2;

export class VirtualGrid<T> {
  private items: T[] = [];
  private readonly sizer: HTMLDivElement;
  private readonly pool: HTMLElement[] = [];
  /** Which item index each pooled tile shows, so unchanged tiles are not re-rendered. */
  private readonly shown = new Map<HTMLElement, number>();
  private columns = 1;
  private frame = 0;
  onScroll: ((scrollTop: number) => void) | undefined;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly render: (tile: HTMLElement, item: T) => void,
    private tileSize: number,
  ) {
    this.sizer = document.createElement('div');
    this.sizer.className = 'grid-sizer';
    viewport.append(this.sizer);
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  setItems(items: T[]): void {
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
    this.columns = Math.max(1, Math.floor((width + GAP) / (this.tileSize + GAP)));
    const rows = Math.ceil(this.items.length / this.columns);
    this.sizer.style.height = `${rows * this.rowHeight}px`;
    const firstRow = Math.max(0, Math.floor(this.viewport.scrollTop / this.rowHeight) - OVERSCAN_ROWS);
    const visibleRows = Math.ceil((this.viewport.clientHeight || this.rowHeight) / this.rowHeight) + 2 * OVERSCAN_ROWS;
    const first = firstRow * this.columns;
    const last = Math.min(this.items.length, (firstRow + visibleRows) * this.columns);
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
      const column = index % this.columns;
      const row = Math.floor(index / this.columns);
      tile.style.transform = `translate(${column * (this.tileSize + GAP)}px, ${row * this.rowHeight}px)`;
      tile.style.width = `${this.tileSize}px`;
      tile.style.height = `${this.tileSize + CAPTION_HEIGHT}px`;
      if (this.shown.get(tile) !== index) {
        this.render(tile, this.items[index]);
        this.shown.set(tile, index);
      }
    });
  }
}
