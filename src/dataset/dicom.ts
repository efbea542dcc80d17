import * as dicomParser from 'dicom-parser';

/** An 8-bit greyscale image made from a DICOM file's first frame. */
export interface DicomGrey {
  width: number;
  height: number;
  /** One byte per pixel, 0 = black, after rescale, window and MONOCHROME1 inversion. */
  pixels: Uint8Array;
}

/** Transfer syntaxes whose pixel data is stored uncompressed in little-endian order. */
const UNCOMPRESSED_LITTLE_ENDIAN = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

/** Reads rows and columns only, for the pixel-limit check before any pixel is touched. */
export function readDicomSize(content: Uint8Array): { width: number; height: number } {
  const dataSet = parse(content, 'x00280011');
  const width = dataSet.uint16('x00280011');
  const height = dataSet.uint16('x00280010');
  if (!width || !height) throw new Error('DICOM file has no image size (Rows/Columns missing)');
  return { width, height };
}

/** Decodes an uncompressed monochrome DICOM image, windowed with the centre/width stored in the file. */
export function decodeDicomGrey(content: Uint8Array): DicomGrey {
  const dataSet = parse(content);
  const transferSyntax = dataSet.string('x00020010')?.trim() ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED_LITTLE_ENDIAN.has(transferSyntax)) {
    throw new Error(`DICOM transfer syntax ${transferSyntax} (compressed or big-endian) is not supported`);
  }
  const photometric = dataSet.string('x00280004')?.trim() ?? '';
  if (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
    throw new Error(`DICOM photometric interpretation "${photometric}" is not supported (MONOCHROME1/2 only)`);
  }
  const width = dataSet.uint16('x00280011') ?? 0;
  const height = dataSet.uint16('x00280010') ?? 0;
  const bitsAllocated = dataSet.uint16('x00280100') ?? 0;
  const signed = dataSet.uint16('x00280103') === 1;
  const pixelElement = dataSet.elements['x7fe00010'];
  if (!width || !height) throw new Error('DICOM file has no image size (Rows/Columns missing)');
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new Error(`DICOM Bits Allocated ${bitsAllocated} is not supported (8 or 16)`);
  if (!pixelElement) throw new Error('DICOM file has no pixel data');
  const count = width * height;
  const bytesPerPixel = bitsAllocated / 8;
  if (pixelElement.dataOffset + count * bytesPerPixel > content.length) throw new Error('DICOM pixel data is truncated');

  const view = new DataView(content.buffer, content.byteOffset + pixelElement.dataOffset, count * bytesPerPixel);
  const read = (i: number): number =>
    bitsAllocated === 8
      ? signed ? view.getInt8(i) : view.getUint8(i)
      : signed ? view.getInt16(i * 2, true) : view.getUint16(i * 2, true);
  const slope = dataSet.floatString('x00281053') ?? 1;
  const intercept = dataSet.floatString('x00281052') ?? 0;
  const values = new Float64Array(count);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = read(i) * slope + intercept;
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // The first window stored in the file; without one, the full range of the pixel values.
  const centre = dataSet.floatString('x00281050', 0);
  const windowWidth = dataSet.floatString('x00281051', 0);
  const [low, high] = centre !== undefined && windowWidth !== undefined && windowWidth >= 1
    ? [centre - 0.5 - (windowWidth - 1) / 2, centre - 0.5 + (windowWidth - 1) / 2]
    : [min, max];
  const span = Math.max(high - low, 1e-9);
  const pixels = new Uint8Array(count);
  const invert = photometric === 'MONOCHROME1';
  for (let i = 0; i < count; i++) {
    const level = Math.round(Math.min(1, Math.max(0, (values[i] - low) / span)) * 255);
    pixels[i] = invert ? 255 - level : level;
  }
  return { width, height, pixels };
}

function parse(content: Uint8Array, untilTag?: string): dicomParser.DataSet {
  try {
    return dicomParser.parseDicom(content, untilTag ? { untilTag } : undefined);
  } catch (error) {
    // dicom-parser throws strings as well as Errors.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`unreadable DICOM file: ${message}`);
  }
}
