// Modality values to 8-bit display grey (PS3.3 C.11.2): the windows and VOI LUTs a file offers, and rendering
// with any of them, so the detail view can re-window the full-range values the model input was made from.
import type * as dicomParser from 'dicom-parser';
import { readLutSequence } from './lut';
import type { Lut } from './lut';

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/** A value-of-interest transform: a window (centre/width), a VOI LUT, or the image's own value range. */
export type Voi =
  | { kind: 'window'; centre: number; width: number; fn: VoiFunction; explanation?: string }
  | { kind: 'lut'; lut: Lut }
  | { kind: 'range'; min: number; max: number };

/** Every window (Window Center/Width, multi-valued) and the VOI LUT the file offers, in file order. */
export function readVois(dataSet: dicomParser.DataSet, signedValues: boolean): Voi[] {
  const vois: Voi[] = [];
  const fnName = dataSet.string('x00281056')?.trim().toUpperCase();
  const fn: VoiFunction = fnName === 'LINEAR_EXACT' || fnName === 'SIGMOID' ? fnName : 'LINEAR';
  const count = Math.min(dataSet.numStringValues('x00281050') ?? 0, dataSet.numStringValues('x00281051') ?? 0);
  for (let i = 0; i < count; i++) {
    const centre = dataSet.floatString('x00281050', i);
    const width = dataSet.floatString('x00281051', i);
    // LINEAR needs a width of at least 1, the others a positive one (C.11.2.1.2).
    if (centre === undefined || width === undefined || !Number.isFinite(centre) || !(fn === 'LINEAR' ? width >= 1 : width > 0)) continue;
    vois.push({ kind: 'window', centre, width, fn, explanation: dataSet.string('x00281055', i) });
  }
  const lut = readLutSequence(dataSet, 'x00283010', signedValues);
  if (lut) vois.push({ kind: 'lut', lut });
  return vois;
}

/**
 * Renders modality values to 8-bit grey: 0 is black, levels rounded to the nearest. MONOCHROME1 (`inverted`) turns
 * high values dark. NaN (padding) is always black.
 */
export function renderGrey(values: Float32Array, voi: Voi, inverted: boolean): Uint8Array {
  // A clamped array clamps to 0…255, rounds, and turns NaN into 0 on assignment.
  const grey = new Uint8ClampedArray(values.length);
  if (voi.kind === 'window' && voi.fn === 'SIGMOID') {
    const { centre, width } = voi;
    for (let i = 0; i < values.length; i++) grey[i] = 255 / (1 + Math.exp((-4 * (values[i] - centre)) / width));
  } else if (voi.kind === 'lut') {
    const { first, data } = voi.lut;
    const scale = 255 / (2 ** voi.lut.bits - 1);
    const last = data.length - 1;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x !== x) continue; // NaN
      const index = Math.round(x) - first;
      grey[i] = data[index <= 0 ? 0 : index >= last ? last : index] * scale;
    }
  } else {
    // Every linear VOI is y = x · a + b, clamped (C.11.2.1.2.1 LINEAR, C.11.2.1.3.2 LINEAR_EXACT).
    const [a, b] = linear(voi);
    for (let i = 0; i < values.length; i++) grey[i] = values[i] * a + b;
  }
  const out = new Uint8Array(grey.buffer);
  if (inverted) for (let i = 0; i < out.length; i++) out[i] = values[i] !== values[i] ? 0 : 255 - out[i];
  return out;
}

/** Slope and offset of a linear VOI from modality value to grey level. */
function linear(voi: Exclude<Voi, { kind: 'lut' }>): [number, number] {
  if (voi.kind === 'range') {
    const span = voi.max - voi.min;
    return span > 0 ? [255 / span, (-255 * voi.min) / span] : [0, 0];
  }
  const { centre: c, width: w } = voi;
  if (voi.fn === 'LINEAR_EXACT') return [255 / w, (0.5 - c / w) * 255];
  // LINEAR: black at or below c - 0.5 - (w - 1) / 2, white above c - 0.5 + (w - 1) / 2; a width of 1 is a threshold.
  if (w === 1) return [2 ** 40, -(c - 0.5) * 2 ** 40];
  return [255 / (w - 1), (0.5 - (c - 0.5) / (w - 1)) * 255];
}
