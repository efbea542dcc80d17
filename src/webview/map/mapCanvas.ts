// Draws the map's points into one canvas, straight into its pixels (400,000 points in a few milliseconds, no per-point
// canvas calls), and turns the pointer into zoom (wheel), pan (right or middle drag), a lasso (drag) or a box
// (Shift+drag). The view transform is on the canvas as `data-view`, so tests can aim at points.
import { boxPolygon, fitView, nearestPoint, pointsInPolygon, toMap, zoomView } from './geometry';
import type { MapView } from './geometry';
import { packColour } from './palette';

export interface MapLayers {
  /** Per point: its colour as a packed word. */
  colours: Uint32Array;
  /** Points of the map's own selection, as its indices (the others are dimmed while there is one). */
  selected: readonly number[];
  /** The gallery's focused and selected points, drawn on top. */
  highlighted: readonly number[];
}

const HIGHLIGHT = packColour('#ffffff');
const OUTLINE = packColour('#000000');

export class MapCanvas {
  readonly canvas = document.createElement('canvas');
  private view: MapView = { scale: 1, ox: 0, oy: 0 };
  private xs: Float32Array = new Float32Array(0);
  private ys: Float32Array = new Float32Array(0);
  private layers: MapLayers = { colours: new Uint32Array(0), selected: [], highlighted: [] };
  private path: number[] | undefined;
  private frame = 0;
  /** A lasso or box was drawn: the indices of the points inside it. */
  onSelect: ((indices: number[]) => void) | undefined;
  /** The pointer rests on a point (or on none: -1). */
  onHover: ((index: number, clientX: number, clientY: number) => void) | undefined;

  constructor() {
    this.canvas.className = 'map-canvas';
    this.canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    this.canvas.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    this.canvas.addEventListener('pointermove', (event) => this.hover(event));
    this.canvas.addEventListener('contextmenu', (event) => event.preventDefault());
    this.canvas.addEventListener('dblclick', () => this.fit());
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  setPoints(xs: Float32Array, ys: Float32Array): void {
    [this.xs, this.ys] = [xs, ys];
    this.fit();
  }

  setLayers(layers: MapLayers): void {
    this.layers = layers;
    this.draw();
  }

  /** Shows every point. */
  fit(): void {
    this.view = fitView(this.xs, this.ys, this.canvas.clientWidth || 600, this.canvas.clientHeight || 400);
    this.draw();
  }

  draw(): void {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const ratio = window.devicePixelRatio || 1;
    const [width, height] = [Math.max(1, Math.round(this.canvas.clientWidth * ratio)), Math.max(1, Math.round(this.canvas.clientHeight * ratio))];
    if (this.canvas.width !== width || this.canvas.height !== height) [this.canvas.width, this.canvas.height] = [width, height];
    this.canvas.dataset.view = JSON.stringify(this.view);
    const context = this.canvas.getContext('2d')!;
    const image = context.createImageData(width, height);
    const pixels = new Uint32Array(image.data.buffer);
    const { colours, selected, highlighted } = this.layers;
    // Fewer points are drawn larger, so 36 points are not specks and 400,000 are not one blot.
    const size = Math.max(1, Math.round((this.xs.length > 50_000 ? 1 : this.xs.length > 5_000 ? 2 : 4) * ratio));
    const { scale, ox, oy } = this.view;
    const square = (i: number, colour: number, half: number): void => {
      const cx = Math.round((this.xs[i] * scale + ox) * ratio);
      const cy = Math.round((this.ys[i] * scale + oy) * ratio);
      for (let y = Math.max(0, cy - half); y <= Math.min(height - 1, cy + half); y++) {
        const row = y * width;
        for (let x = Math.max(0, cx - half); x <= Math.min(width - 1, cx + half); x++) pixels[row + x] = colour;
      }
    };
    const dim = selected.length > 0;
    const half = Math.floor(size / 2);
    // Every point, dimmed while there is a selection; then the selection on top of them.
    for (let i = 0; i < this.xs.length; i++) square(i, dim ? (colours[i] & 0x00ffffff) | 0x50000000 : colours[i], half);
    for (const i of selected) square(i, colours[i], half);
    for (const i of highlighted) {
      square(i, OUTLINE, half + Math.round(3 * ratio));
      square(i, HIGHLIGHT, half + Math.round(2 * ratio));
      square(i, colours[i], half);
    }
    context.putImageData(image, 0, 0);
    if (this.path && this.path.length >= 4) {
      context.strokeStyle = getComputedStyle(this.canvas).getPropertyValue('--vscode-focusBorder') || '#3794ff';
      context.lineWidth = 1.5 * ratio;
      context.setLineDash([6 * ratio, 4 * ratio]);
      context.beginPath();
      for (let k = 0; k < this.path.length; k += 2) context.lineTo(this.path[k] * ratio, this.path[k + 1] * ratio);
      context.closePath();
      context.stroke();
    }
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const { x, y } = this.local(event);
    this.view = zoomView(this.view, Math.exp(-event.deltaY / 400), x, y);
    this.draw();
  }

  private onPointerDown(event: PointerEvent): void {
    this.canvas.setPointerCapture(event.pointerId);
    const start = this.local(event);
    const pan = event.button !== 0;
    const box = event.shiftKey;
    const from = { ...this.view };
    this.path = pan ? undefined : [start.x, start.y];
    const move = (e: PointerEvent): void => {
      const { x, y } = this.local(e);
      if (pan) this.view = { ...from, ox: from.ox + x - start.x, oy: from.oy + y - start.y };
      else if (box) this.path = boxPolygon(start.x, start.y, x, y);
      else if (Math.hypot(x - this.path!.at(-2)!, y - this.path!.at(-1)!) > 3) this.path!.push(x, y);
      this.draw();
    };
    const up = (): void => {
      this.canvas.removeEventListener('pointermove', move);
      this.canvas.removeEventListener('pointerup', up);
      const drawn = this.path;
      this.path = undefined;
      this.draw();
      // A click (no area drawn) selects nothing.
      if (!drawn || drawn.length < 6) return;
      const polygon = drawn.flatMap((v, k) => (k % 2 === 0 ? toMap(this.view, v, drawn[k + 1]) : []));
      this.onSelect?.(pointsInPolygon(this.xs, this.ys, polygon));
    };
    this.canvas.addEventListener('pointermove', move);
    this.canvas.addEventListener('pointerup', up);
  }

  private hoverFrame = 0;
  private hover(event: PointerEvent): void {
    if (this.path || event.buttons) return;
    const { clientX, clientY } = event;
    this.hoverFrame ||= requestAnimationFrame(() => {
      this.hoverFrame = 0;
      const { x, y } = this.local({ clientX, clientY });
      this.onHover?.(nearestPoint(this.xs, this.ys, this.view, x, y, 6), clientX, clientY);
    });
  }

  private local(event: { clientX: number; clientY: number }): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }
}
