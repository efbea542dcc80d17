// The map's colour key: one row per category with its count (or the ramp of a score), built with textContent only.
import type { MapColouring } from '../../shared/mapProtocol';
import { categoryColour, NONE_COLOUR, packColour, rampColour } from './palette';

/** Per point: its colour under `colouring`, as a packed word. */
export function pointColours(colouring: MapColouring, points: number): Uint32Array {
  const colours = new Uint32Array(points);
  const none = packColour(NONE_COLOUR);
  if (colouring.codes) {
    const packed = (colouring.categories ?? []).map((_, code) => packColour(categoryColour(code)));
    for (let i = 0; i < points; i++) colours[i] = colouring.codes[i] === 255 ? none : packed[colouring.codes[i]] ?? none;
  } else if (colouring.values) {
    for (let i = 0; i < points; i++) colours[i] = Number.isNaN(colouring.values[i]) ? none : packColour(rampColour(colouring.values[i]));
  }
  return colours;
}

export function legendRows(colouring: MapColouring, points: number): HTMLElement[] {
  const row = (colour: string, text: string): HTMLElement => {
    const entry = document.createElement('div');
    entry.className = 'legend-row';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colour;
    const label = document.createElement('span');
    label.textContent = text;
    entry.append(swatch, label);
    return entry;
  };
  if (colouring.values) {
    const scored = colouring.values.filter((v) => !Number.isNaN(v)).length;
    return [row(rampColour(0), '0 (label looks right)'), row(rampColour(0.5), '0.5'), row(rampColour(1), '1 (label looks wrong)'), row(NONE_COLOUR, `no score (${(points - scored).toLocaleString('en-US')}): run Find Label Issues`)];
  }
  const counts = new Array<number>(256).fill(0);
  for (const code of colouring.codes ?? []) counts[code]++;
  const rows = (colouring.categories ?? []).map((name, code) => row(categoryColour(code), `${name} (${counts[code].toLocaleString('en-US')})`)).filter((_, code) => counts[code] > 0);
  if (counts[255]) rows.push(row(NONE_COLOUR, `none (${counts[255].toLocaleString('en-US')})`));
  return rows;
}
