// The full-range pixels of a DICOM or 16-bit PNG file, as the detail view windows them: one decode, downsampled
// to a screen's worth and encoded as 16-bit codes (shared/fullRange.ts). Runs inside the job worker (the
// `fullRange` job in src/ml/jobs/jobTable.ts), so decoding stays off the extension host's thread: no `vscode` here.
import * as fs from 'node:fs/promises';
import sharp from 'sharp';
import { decodeDicom } from './dicom';
import type { Voi } from './dicom';
import { downsample, encodeFullRange } from '../shared/fullRange';
import type { PixelsReply } from '../shared/protocol';

export type FullRangePixels = Omit<PixelsReply, 'type' | 'id'>;

/** Decodes a DICOM or 16-bit PNG file once and encodes its values for the webview. */
export async function fullRangePixels(file: string): Promise<FullRangePixels> {
  const content = await fs.readFile(file);
  if (content.subarray(1, 4).toString('latin1') === 'PNG') return png16Pixels(content);
  const image = await decodeDicom(content);
  const small = downsample(image.values, image.width, image.height);
  const { codes, encoding } = encodeFullRange(small.values, image.min, image.max);
  const { min, max, voi, inverted } = image;
  return { width: small.width, height: small.height, codes, ...encoding, min, max, ...defaultWindow(voi, min, max), inverted };
}

/** A 16-bit PNG as grey values; its window starts at the value range (PNG stores none). */
async function png16Pixels(content: Buffer): Promise<FullRangePixels> {
  const { data, info } = await sharp(content).removeAlpha().toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || data.length !== info.width * info.height * 2) throw new Error(`16-bit PNG decoded to ${info.channels} channels of ${data.length} bytes`);
  const values = Float32Array.from(new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)));
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const small = downsample(values, info.width, info.height);
  const { codes, encoding } = encodeFullRange(small.values, min, max);
  return { width: small.width, height: small.height, codes, ...encoding, min, max, ...defaultWindow({ kind: 'range', min, max }, min, max), inverted: false };
}

/** The window the thumbnail was rendered with; a VOI LUT (not a window) starts from the value range instead. */
export function defaultWindow(voi: Voi, min: number, max: number): { centre: number; windowWidth: number } {
  if (voi.kind === 'window') return { centre: voi.centre, windowWidth: voi.width };
  const [low, high] = voi.kind === 'range' ? [voi.min, voi.max] : [min, max];
  return { centre: (low + high) / 2, windowWidth: Math.max(high - low, 1) };
}
