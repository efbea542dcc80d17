// One decode of a DICOM image's first frame to both the full-range modality values (for windowing in the detail
// view) and the 8-bit grey of its default VOI (for the model input and the thumbnail).
import { readFirstFrame, readImagePixel } from './frame';
import { readModalityTransform, toModalityValues } from './modality';
import { parseDicomFile } from './part10';
import { transferSyntax } from './transferSyntax';
import type { TransferSyntax } from './transferSyntax';
import { readVois, renderGrey } from './voi';
import type { Voi } from './voi';

export interface DicomImage {
  width: number;
  height: number;
  /** Modality values (stored values after BitsStored/HighBit/sign, Modality LUT or rescale), row-major; NaN = padding. */
  values: Float32Array;
  /** Lowest and highest modality value outside the padding. */
  min: number;
  max: number;
  /** Every window and VOI LUT the file offers, in file order. */
  vois: Voi[];
  /** The VOI `grey` was rendered with: the file's first window, else its VOI LUT, else the value range. */
  voi: Voi;
  /** MONOCHROME1: high values are dark. */
  inverted: boolean;
  /** 8-bit grey, 0 = black, one byte per pixel. */
  grey: Uint8Array;
  bitsStored: number;
  signed: boolean;
  transferSyntax: TransferSyntax;
}

/** An 8-bit greyscale image made from a DICOM file's first frame. */
export interface DicomGrey {
  width: number;
  height: number;
  /** One byte per pixel, 0 = black, after rescale, window and MONOCHROME1 inversion. */
  pixels: Uint8Array;
}

/** Reads rows and columns only, for the pixel-limit check before any pixel is touched. */
export function readDicomSize(content: Uint8Array): { width: number; height: number } {
  const { dataSet } = parseDicomFile(content, 'x00280011');
  const width = dataSet.uint16('x00280011');
  const height = dataSet.uint16('x00280010');
  if (!width || !height) throw new Error('DICOM file has no image size (Rows/Columns missing)');
  return { width, height };
}

export interface DecodeOptions {
  /**
   * Only an image whose long side is at least this is needed (a thumbnail): a JPEG 2000 frame is then decoded at
   * the smallest of its resolutions that still has it. Default: the full resolution.
   */
  longSideAtLeast?: number;
}

/** Decodes the first frame of a greyscale DICOM image, whatever its transfer syntax. */
export async function decodeDicom(content: Uint8Array, options: DecodeOptions = {}): Promise<DicomImage> {
  const { dataSet, transferSyntaxUid } = parseDicomFile(content);
  const syntax = transferSyntax(transferSyntaxUid);
  const full = readImagePixel(dataSet);
  const frame = await readFirstFrame(dataSet, syntax, full, reductionFor(full, options.longSideAtLeast));
  const pixel = { ...full, width: frame.width, height: frame.height };
  const transform = readModalityTransform(dataSet, pixel);
  const { values, min, max } = toModalityValues(frame, pixel, transform);
  const signed = pixel.pixelRepresentation === 1;
  const vois = readVois(dataSet, signed || transform.intercept < 0);
  const voi = vois[0] ?? { kind: 'range', min, max };
  const inverted = pixel.photometric === 'MONOCHROME1';
  return {
    width: pixel.width,
    height: pixel.height,
    values,
    min,
    max,
    vois,
    voi,
    inverted,
    grey: renderGrey(values, voi, inverted),
    bitsStored: pixel.bitsStored,
    signed,
    transferSyntax: syntax,
  };
}

/**
 * Halvings of the size that keep the long side at least twice `side` (none without a side): the wavelet's low band
 * aliases more than a resampling filter, so the last halving or more is left to the resize that follows.
 */
function reductionFor({ width, height }: { width: number; height: number }, side: number | undefined): number {
  if (side === undefined || side <= 0) return 0;
  let reduce = 0;
  while (Math.ceil(Math.max(width, height) / 2 ** (reduce + 1)) >= 2 * side) reduce++;
  return reduce;
}

/** The 8-bit grey of `decodeDicom`, for callers that need only that. */
export async function decodeDicomGrey(content: Uint8Array, options: DecodeOptions = {}): Promise<DicomGrey> {
  const image = await decodeDicom(content, options);
  return { width: image.width, height: image.height, pixels: image.grey };
}
