// Stored samples to modality values (PS3.3 C.7.6.3, C.7.5.1.1.2, C.11.1): HighBit/BitsStored masking, two's
// complement for signed pixels, Pixel Padding Value (and Range Limit) masked, then the Modality LUT or
// Rescale Slope/Intercept.
import type * as dicomParser from 'dicom-parser';
import type { ImagePixel, StoredFrame } from './frame';
import { lookUp, readLutSequence } from './lut';
import type { Lut } from './lut';

export interface ModalityTransform {
  slope: number;
  intercept: number;
  /** Modality LUT Sequence: replaces slope/intercept when present. */
  lut?: Lut;
  /** Stored values (inclusive range) that mark padding, not image. */
  padding?: [number, number];
}

export interface ModalityValues {
  /** Modality values, row-major; NaN where the pixel is padding. */
  values: Float32Array;
  /** Lowest and highest value outside the padding (0 and 0 when every pixel is padding). */
  min: number;
  max: number;
}

export function readModalityTransform(dataSet: dicomParser.DataSet, pixel: ImagePixel): ModalityTransform {
  const signed = pixel.pixelRepresentation === 1;
  const readStored = (tag: string): number | undefined => (signed ? dataSet.int16(tag) : dataSet.uint16(tag));
  const padValue = dataSet.elements['x00280120'] ? readStored('x00280120') : undefined;
  const padLimit = dataSet.elements['x00280121'] ? readStored('x00280121') : undefined;
  return {
    slope: dataSet.floatString('x00281053') ?? 1,
    intercept: dataSet.floatString('x00281052') ?? 0,
    lut: readLutSequence(dataSet, 'x00283000', signed),
    padding: padValue === undefined ? undefined : [Math.min(padValue, padLimit ?? padValue), Math.max(padValue, padLimit ?? padValue)],
  };
}

/**
 * Maps every stored sample through one table indexed by the raw container value (at most 2^16 entries), which
 * holds the whole chain: shift, mask, sign, padding, Modality LUT or rescale.
 */
export function toModalityValues(frame: StoredFrame, pixel: ImagePixel, transform: ModalityTransform): ModalityValues {
  const { samples } = frame;
  const table = modalityTable(frame, pixel, transform);
  const count = pixel.width * pixel.height;
  const values = new Float32Array(count);
  const seen = new Uint8Array(table.length);
  for (let i = 0; i < count; i++) {
    const raw = samples[i];
    values[i] = table[raw];
    seen[raw] = 1;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let raw = 0; raw < table.length; raw++) {
    const value = table[raw];
    if (seen[raw] === 0 || Number.isNaN(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min > max) min = max = 0;
  return { values, min, max };
}

function modalityTable(frame: StoredFrame, pixel: ImagePixel, transform: ModalityTransform): Float32Array {
  const table = new Float32Array(frame.samples instanceof Uint8Array ? 256 : 65536);
  const mask = 2 ** pixel.bitsStored - 1;
  const signBit = pixel.pixelRepresentation === 1 ? 2 ** (pixel.bitsStored - 1) : Infinity;
  const wrap = 2 ** pixel.bitsStored;
  const [padLow, padHigh] = transform.padding ?? [Infinity, -Infinity];
  const { slope, intercept, lut } = transform;
  for (let raw = 0; raw < table.length; raw++) {
    let stored = (raw >>> frame.shift) & mask;
    if (stored >= signBit) stored -= wrap;
    table[raw] = stored >= padLow && stored <= padHigh ? NaN : lut ? lookUp(lut, stored) : stored * slope + intercept;
  }
  return table;
}
