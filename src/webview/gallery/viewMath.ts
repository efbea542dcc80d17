// The detail view's pan/zoom and window/level arithmetic, as plain functions (no DOM), tested in Node.

/** Window/level in display intensity units (0…1): the window's width and its centre. */
export interface WindowLevel {
  window: number;
  level: number;
}

export const FULL_WINDOW: WindowLevel = { window: 1, level: 0.5 };
const MIN_WINDOW = 0.02;
const MAX_WINDOW = 2;

/**
 * Window/level after dragging by (dx, dy) pixels from `start`, the radiology convention: right widens the
 * window (less contrast), down raises the level (darker). `span` is the drag distance that covers the range.
 */
export function dragWindowLevel(start: WindowLevel, dx: number, dy: number, span: number): WindowLevel {
  const window = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, start.window * Math.exp((dx / span) * 2)));
  const level = Math.min(1, Math.max(0, start.level + dy / span));
  return { window, level };
}

/** The linear transfer `out = slope · in + intercept` that maps [level − window/2, level + window/2] to [0, 1]. */
export function transfer(wl: WindowLevel): { slope: number; intercept: number } {
  const slope = 1 / wl.window;
  return { slope, intercept: 0.5 - wl.level * slope };
}

/** Image placement: screen = image · scale + (x, y). */
export interface View {
  scale: number;
  x: number;
  y: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 32;

/** The view that fits an image of `width` × `height` inside a stage, centred. */
export function fitView(width: number, height: number, stageWidth: number, stageHeight: number): View {
  const scale = Math.min(stageWidth / width, stageHeight / height, MAX_SCALE) || 1;
  return { scale, x: (stageWidth - width * scale) / 2, y: (stageHeight - height * scale) / 2 };
}

/** Zooms by `factor` keeping the image point under (cx, cy) where it is. */
export function zoomAt(view: View, factor: number, cx: number, cy: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const applied = scale / view.scale;
  return { scale, x: cx - (cx - view.x) * applied, y: cy - (cy - view.y) * applied };
}
