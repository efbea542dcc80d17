// Colours of the saliency overlay, as plain functions (no DOM), tested in Node.

/** Opacity of the strongest evidence: the image under it stays readable. */
const MAX_ALPHA = 0.7;

/**
 * The Turbo colour map (Google, 2019) by its published polynomial fit: dark blue → green → yellow → dark red,
 * ordered in lightness, so it reads over a grey X-ray without looking like anatomy.
 */
export function turbo(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  const r = 0.13572138 + v * (4.6153926 + v * (-42.66032258 + v * (132.13108234 + v * (-152.94239396 + v * 59.28637943))));
  const g = 0.09140261 + v * (2.19418839 + v * (4.84296658 + v * (-14.18503333 + v * (4.27729857 + v * 2.82956604))));
  const b = 0.1066733 + v * (12.64194608 + v * (-60.58204836 + v * (110.36276771 + v * (-89.90310912 + v * 27.34824973))));
  const byte = (c: number): number => Math.round(255 * Math.min(1, Math.max(0, c)));
  return [byte(r), byte(g), byte(b)];
}

/**
 * RGBA pixels of a row-major grid of values in [0, 1]: the Turbo colour, more opaque where the value is higher,
 * so regions without evidence leave the image as it is.
 */
export function heatPixels(values: readonly number[]): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(values.length * 4);
  values.forEach((value, i) => {
    const [r, g, b] = turbo(value);
    out.set([r, g, b, Math.round(255 * MAX_ALPHA * Math.sqrt(Math.min(1, Math.max(0, value))))], i * 4);
  });
  return out;
}
