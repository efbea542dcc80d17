// "Find this region" in the detail view: the button arms it, the next drag on the image draws a box (instead of
// panning) and asks for the images holding something like it. A region list's match is outlined on each image.
import type { RegionBox } from '../../../shared/protocol';
import type { View } from '../viewMath';

/** Boxes smaller than this (in screen pixels) are a click, not a region. */
const MIN_DRAG_PX = 6;

export interface RegionGeometry {
  stage: HTMLElement;
  view(): View;
  /** Size of what is shown, in image pixels. */
  size(): { width: number; height: number };
}

/** The box between two stage points, in fractions of the image, clipped to it; undefined when nothing of it is on the image. */
export function boxFromDrag(a: { x: number; y: number }, b: { x: number; y: number }, view: View, width: number, height: number): RegionBox | undefined {
  const toImage = (p: { x: number; y: number }): { x: number; y: number } => ({ x: (p.x - view.x) / view.scale / width, y: (p.y - view.y) / view.scale / height });
  const [p, q] = [toImage(a), toImage(b)];
  const x0 = Math.max(0, Math.min(p.x, q.x));
  const y0 = Math.max(0, Math.min(p.y, q.y));
  const x1 = Math.min(1, Math.max(p.x, q.x));
  const y1 = Math.min(1, Math.max(p.y, q.y));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : undefined;
}

export class RegionSelect {
  readonly button = document.createElement('button');
  /** The box being drawn, or the match shown. */
  private readonly outline = document.createElement('div');
  private armed = false;
  /** The match of the item shown (a region list), outlined where it lies. */
  private match: RegionBox | undefined;
  /** Asks for the images like `box` on the shown item. */
  onFind: ((box: RegionBox) => void) | undefined;

  constructor(private readonly geometry: RegionGeometry) {
    this.button.textContent = 'Find region…';
    this.button.title = 'Drag a box on the image (a marker, a device, an artefact) to find the images holding something like it';
    this.button.addEventListener('click', () => this.arm(!this.armed));
    this.outline.className = 'region-box';
    this.outline.hidden = true;
    geometry.stage.append(this.outline);
  }

  /** Starts a box when armed (a plain left drag); returns whether it took the pointer. */
  pointerDown(event: PointerEvent): boolean {
    if (!this.armed || event.button !== 0 || event.shiftKey) return false;
    const { stage } = this.geometry;
    const origin = stage.getBoundingClientRect();
    const start = { x: event.clientX - origin.left, y: event.clientY - origin.top };
    let end = start;
    this.outline.dataset.kind = 'drawing';
    const move = (e: PointerEvent): void => {
      end = { x: e.clientX - origin.left, y: e.clientY - origin.top };
      this.draw(Math.min(start.x, end.x), Math.min(start.y, end.y), Math.abs(end.x - start.x), Math.abs(end.y - start.y));
    };
    const up = (): void => {
      stage.removeEventListener('pointermove', move);
      stage.removeEventListener('pointerup', up);
      stage.removeEventListener('pointercancel', up);
      this.arm(false);
      const { width, height } = this.geometry.size();
      const box = Math.hypot(end.x - start.x, end.y - start.y) >= MIN_DRAG_PX && width ? boxFromDrag(start, end, this.geometry.view(), width, height) : undefined;
      if (box) this.onFind?.(box);
      this.showMatch(box ?? this.match);
    };
    stage.addEventListener('pointermove', move);
    stage.addEventListener('pointerup', up);
    stage.addEventListener('pointercancel', up);
    return true;
  }

  /** Outlines `box` on the shown image (undefined: nothing). */
  showMatch(box: RegionBox | undefined): void {
    this.match = box;
    this.outline.dataset.kind = 'match';
    this.place();
  }

  /** Follows zoom and pan. */
  place(): void {
    const box = this.match;
    const { width, height } = this.geometry.size();
    if (!box || !width) {
      this.outline.hidden = true;
      return;
    }
    const view = this.geometry.view();
    this.draw(view.x + box.x * width * view.scale, view.y + box.y * height * view.scale, box.w * width * view.scale, box.h * height * view.scale);
  }

  arm(on: boolean): void {
    this.armed = on;
    this.button.textContent = on ? 'Drag a box on the image…' : 'Find region…';
    this.button.setAttribute('aria-pressed', String(on));
    this.geometry.stage.classList.toggle('drawing-region', on);
  }

  private draw(left: number, top: number, width: number, height: number): void {
    Object.assign(this.outline.style, { left: `${left}px`, top: `${top}px`, width: `${width}px`, height: `${height}px` });
    this.outline.hidden = false;
  }
}
