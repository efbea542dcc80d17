// The map's geometry as plain functions (no DOM): fitting the points to the canvas, the screen ↔ map transform, and
// which points a lasso or a box holds. Tested in Node.

/** Screen (CSS px, from the canvas's top left) = map · scale + offset; y grows downwards on both. */
export interface MapView {
  scale: number;
  ox: number;
  oy: number;
}

/** The view that shows every point inside a `width × height` canvas with `margin` px to spare. */
export function fitView(xs: Float32Array, ys: Float32Array, width: number, height: number, margin = 16): MapView {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < minX) minX = xs[i];
    if (xs[i] > maxX) maxX = xs[i];
    if (ys[i] < minY) minY = ys[i];
    if (ys[i] > maxY) maxY = ys[i];
  }
  if (!Number.isFinite(minX)) return { scale: 1, ox: width / 2, oy: height / 2 };
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.max(1e-9, Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY));
  return { scale, ox: width / 2 - ((minX + maxX) / 2) * scale, oy: height / 2 - ((minY + maxY) / 2) * scale };
}

/** The view zoomed by `factor` about the screen point (sx, sy), which stays where it is. */
export function zoomView(view: MapView, factor: number, sx: number, sy: number): MapView {
  return { scale: view.scale * factor, ox: sx - (sx - view.ox) * factor, oy: sy - (sy - view.oy) * factor };
}

export function toMap(view: MapView, sx: number, sy: number): [number, number] {
  return [(sx - view.ox) / view.scale, (sy - view.oy) / view.scale];
}

/** Whether (x, y) is inside the polygon (even-odd rule; `polygon` is [x0, y0, x1, y1, …], closed implicitly). */
export function insidePolygon(x: number, y: number, polygon: ArrayLike<number>): boolean {
  let inside = false;
  const n = polygon.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi, xj, yj] = [polygon[2 * i], polygon[2 * i + 1], polygon[2 * j], polygon[2 * j + 1]];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The indices of the points inside a polygon given in map coordinates (a bounding-box test first: 400,000 points in a few ms). */
export function pointsInPolygon(xs: Float32Array, ys: Float32Array, polygon: ArrayLike<number>): number[] {
  if (polygon.length < 6) return [];
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < polygon.length; i += 2) {
    minX = Math.min(minX, polygon[i]);
    maxX = Math.max(maxX, polygon[i]);
    minY = Math.min(minY, polygon[i + 1]);
    maxY = Math.max(maxY, polygon[i + 1]);
  }
  const inside: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const [x, y] = [xs[i], ys[i]];
    if (x >= minX && x <= maxX && y >= minY && y <= maxY && insidePolygon(x, y, polygon)) inside.push(i);
  }
  return inside;
}

/** The four corners of the box between two screen points, as a polygon. */
export function boxPolygon(x0: number, y0: number, x1: number, y1: number): number[] {
  return [x0, y0, x1, y0, x1, y1, x0, y1];
}

/** The point nearest to the screen point (sx, sy) within `radius` px, or -1. */
export function nearestPoint(xs: Float32Array, ys: Float32Array, view: MapView, sx: number, sy: number, radius: number): number {
  const [mx, my] = toMap(view, sx, sy);
  let best = -1;
  let bestD = (radius / view.scale) ** 2;
  for (let i = 0; i < xs.length; i++) {
    const d = (xs[i] - mx) ** 2 + (ys[i] - my) ** 2;
    if (d <= bestD) [best, bestD] = [i, d];
  }
  return best;
}
