// Full-range pixel values (12/16-bit DICOM modality values) as the host sends them to the detail view, and the
// windowing the webview does on them while the user drags. Pure functions on typed arrays (no DOM, no Node).
//
// Encoding: values are stored as 16-bit codes, value = offset + code · step; the code PADDING marks pixel
// padding (always black). 65,535 levels over the image's own range keep 12- and 16-bit data exact enough for
// display at half the size of Float32.

/** The code that marks padding (no value). */
export const PADDING = 0xffff;
const LEVELS = PADDING - 1;

export interface FullRangeEncoding {
  /** Value of code 0 (the image's lowest value). */
  offset: number;
  /** Value step between codes (> 0). */
  step: number;
}

/** A modality window: the values from centre − width/2 (black) to centre + width/2 (white). */
export interface ModalityWindow {
  centre: number;
  width: number;
}

/** Longest side of the pixels sent to the detail view: a screen's worth, not the 3,000 × 2,500 original. */
export const MAX_FULL_RANGE_SIDE = 2048;

/**
 * Averages `values` (row-major `width × height`, NaN = padding) down by an integer factor so the long side fits
 * `maxSide`; a box that is all padding stays padding.
 */
export function downsample(values: Float32Array, width: number, height: number, maxSide = MAX_FULL_RANGE_SIDE): { values: Float32Array; width: number; height: number } {
  const factor = Math.ceil(Math.max(width, height) / maxSide);
  if (factor <= 1) return { values, width, height };
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let count = 0;
      for (let yy = y * factor; yy < Math.min(height, (y + 1) * factor); yy++) {
        for (let xx = x * factor; xx < Math.min(width, (x + 1) * factor); xx++) {
          const v = values[yy * width + xx];
          if (v === v) {
            sum += v;
            count++;
          }
        }
      }
      out[y * w + x] = count ? sum / count : NaN;
    }
  }
  return { values: out, width: w, height: h };
}

/** Quantises values in [min, max] (NaN = padding) to 16-bit codes. */
export function encodeFullRange(values: Float32Array, min: number, max: number): { codes: Uint16Array; encoding: FullRangeEncoding } {
  const step = max > min ? (max - min) / LEVELS : 1;
  const codes = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    codes[i] = v === v ? Math.min(LEVELS, Math.max(0, Math.round((v - min) / step))) : PADDING;
  }
  return { codes, encoding: { offset: min, step } };
}

/**
 * The grey level (0…255) of every code under a linear window (PS3.3 C.11.2.1.2, LINEAR_EXACT form), inverted for
 * MONOCHROME1; padding is black. One table of 65,536 entries makes re-windowing a lookup per pixel.
 */
export function windowLut(encoding: FullRangeEncoding, window: ModalityWindow, inverted: boolean): Uint8Array {
  const lut = new Uint8Array(PADDING + 1);
  const low = window.centre - window.width / 2;
  const scale = 255 / Math.max(window.width, Number.EPSILON);
  for (let code = 0; code < PADDING; code++) {
    const grey = Math.min(255, Math.max(0, Math.round((encoding.offset + code * encoding.step - low) * scale)));
    lut[code] = inverted ? 255 - grey : grey;
  }
  lut[PADDING] = 0;
  return lut;
}

/** Writes the windowed codes as opaque grey RGBA (what `ImageData` holds). */
export function paintGrey(codes: Uint16Array, lut: Uint8Array, rgba: Uint8ClampedArray): void {
  if (rgba.length !== codes.length * 4) throw new Error(`${rgba.length / 4} pixels to paint for ${codes.length} codes`);
  for (let i = 0, j = 0; i < codes.length; i++, j += 4) {
    const grey = lut[codes[i]];
    rgba[j] = grey;
    rgba[j + 1] = grey;
    rgba[j + 2] = grey;
    rgba[j + 3] = 255;
  }
}
