// Turns an image file into the backbone's input: RGB, alpha dropped, squashed to the input size, scaled to
// [-1, 1] (MobileNetV2's `preprocess_input`). Same pixels as the reference pipeline and the paper.
import * as fs from 'node:fs/promises';
import sharp from 'sharp';
import { decodeDicomGrey } from '../dataset/dicom';
import { MAX_IMAGE_PIXELS } from '../dataset/image';
import { describeUnknownContent, sniffImageKind } from '../dataset/imageFormat';

/** Bumped whenever the pixels produced here change, so cached embeddings from the old pipeline are not reused. */
export const PREPROCESS_VERSION = 1;

/**
 * Decodes `file` straight to `width × height` RGB bytes. sharp shrinks JPEGs while decoding
 * (`fastShrinkOnLoad`), so large files cost little more than small ones.
 */
export async function decodeToInput(file: string, width: number, height: number): Promise<Uint8Array> {
  const content = await fs.readFile(file);
  const kind = sniffImageKind(content.subarray(0, 132));
  if (!kind) throw new Error(describeUnknownContent(content));
  let image: sharp.Sharp;
  if (kind === 'dicom') {
    const grey = await decodeDicomGrey(content);
    image = sharp(grey.pixels, { raw: { width: grey.width, height: grey.height, channels: 1 } });
  } else {
    image = sharp(content, { limitInputPixels: MAX_IMAGE_PIXELS }).autoOrient();
  }
  try {
    const data = await image.removeAlpha().toColourspace('srgb').resize(width, height, { fit: 'fill' }).raw().toBuffer();
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (error) {
    throw new Error(`cannot decode image: ${(error as Error).message}`);
  }
}

/** Writes RGB bytes into `out` at `offset` as floats in [-1, 1]. */
export function scaleToInput(rgb: Uint8Array, out: Float32Array, offset: number): void {
  for (let i = 0; i < rgb.length; i++) out[offset + i] = rgb[i] / 127.5 - 1;
}
