// Colours of the map's points as packed RGBA words (little-endian ImageData: 0xAABBGGRR).

/** Tableau 10: distinct for the first ten categories, colour-blind friendlier than a rainbow. */
const CATEGORICAL = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** Points without a category or value. */
export const NONE_COLOUR = '#5a5a5a';

export function categoryColour(code: number): string {
  return CATEGORICAL[code % CATEGORICAL.length];
}

/** From dark blue (0) to yellow (1): viridis at five stops, linearly between them. */
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function rampColour(value: number): string {
  const t = Math.min(1, Math.max(0, value)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t));
  const f = t - i;
  const [r, g, b] = RAMP[i].map((c, k) => Math.round(c + (RAMP[i + 1][k] - c) * f));
  return `rgb(${r}, ${g}, ${b})`;
}

/** A CSS colour (#rrggbb or rgb(r, g, b)) as an opaque RGBA word with `alpha` (0…255). */
export function packColour(css: string, alpha = 255): number {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  const [r, g, b] = hex ? [0, 2, 4].map((k) => parseInt(hex[1].slice(k, k + 2), 16)) : (css.match(/\d+/g) ?? ['0', '0', '0']).map(Number);
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}
