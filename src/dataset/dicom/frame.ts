// The first frame's stored samples, whatever the transfer syntax: native pixel data read in the data set's byte
// order, encapsulated pixel data handed to its codec.
import * as dicomParser from 'dicom-parser';
import { decodeFrame } from './codecs';
import type { FrameShape } from './codecs';
import type { TransferSyntax } from './transferSyntax';

/** The Image Pixel module (PS3.3 C.7.6.3) of a data set, checked for what this decoder handles. */
export interface ImagePixel extends FrameShape {
  highBit: number;
  frames: number;
}

/** Stored sample containers, one sample per pixel; `shift` moves HighBit down to BitsStored - 1. */
export interface StoredFrame {
  samples: Uint8Array | Uint16Array;
  shift: number;
  /** The size of `samples`: the image's, or smaller for a reduced-resolution decode. */
  width: number;
  height: number;
}

const MONOCHROME = new Set(['MONOCHROME1', 'MONOCHROME2']);

export function readImagePixel(dataSet: dicomParser.DataSet): ImagePixel {
  const width = dataSet.uint16('x00280011') ?? 0;
  const height = dataSet.uint16('x00280010') ?? 0;
  if (!width || !height) throw new Error('DICOM file has no image size (Rows/Columns missing)');
  const photometric = dataSet.string('x00280004')?.trim() ?? '';
  const samplesPerPixel = dataSet.uint16('x00280002') ?? 1;
  if (!MONOCHROME.has(photometric) || samplesPerPixel !== 1) {
    throw new Error(`DICOM photometric interpretation "${photometric}" with ${samplesPerPixel} samples per pixel is not supported (greyscale MONOCHROME1/2 only)`);
  }
  const bitsAllocated = dataSet.uint16('x00280100') ?? 0;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new Error(`DICOM Bits Allocated ${bitsAllocated} is not supported (8 or 16)`);
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  const highBit = dataSet.uint16('x00280102') ?? bitsStored - 1;
  if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    throw new Error(`DICOM Bits Stored ${bitsStored} / High Bit ${highBit} do not fit Bits Allocated ${bitsAllocated}`);
  }
  return {
    width,
    height,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: dataSet.uint16('x00280103') ?? 0,
    photometric,
    planarConfiguration: dataSet.uint16('x00280006') ?? 0,
    frames: Math.max(1, dataSet.intString('x00280008') ?? 1),
  };
}

/** Reads (and decodes when compressed) the first frame; `reduce` asks for 1 / 2^reduce of its size where the codec can (JPEG 2000). */
export async function readFirstFrame(dataSet: dicomParser.DataSet, syntax: TransferSyntax, pixel: ImagePixel, reduce = 0): Promise<StoredFrame> {
  const { width, height } = pixel;
  const element = dataSet.elements['x7fe00010'];
  if (!element) throw new Error('DICOM file has no pixel data');
  const count = pixel.width * pixel.height;
  if (!element.encapsulatedPixelData) {
    if (syntax.encoding !== 'native') throw new Error(`DICOM pixel data is not encapsulated as ${syntax.name} requires`);
    const length = count * (pixel.bitsAllocated / 8);
    if (element.dataOffset + length > dataSet.byteArray.length) throw new Error('DICOM pixel data is truncated');
    const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + length);
    return { samples: nativeSamples(bytes, pixel.bitsAllocated, syntax.bigEndian), shift: pixel.highBit + 1 - pixel.bitsStored, width, height };
  }
  const encoded = firstFrameBytes(dataSet, element, pixel.frames);
  if (syntax.encoding === 'native') throw new Error(`DICOM pixel data is encapsulated, which ${syntax.name} does not allow`);
  if (syntax.encoding === 'encapsulated-native') {
    if (encoded.length < count * (pixel.bitsAllocated / 8)) throw new Error('DICOM pixel data is truncated');
    return { samples: nativeSamples(encoded, pixel.bitsAllocated, false), shift: pixel.highBit + 1 - pixel.bitsStored, width, height };
  }
  let decoded;
  try {
    decoded = await decodeFrame(syntax.encoding, encoded, pixel, reduce);
  } catch (error) {
    throw new Error(`cannot decode ${syntax.name} pixel data: ${(error as Error).message}`);
  }
  const samples = decoded.bytesPerSample === 1 ? decoded.bytes : nativeSamples(decoded.bytes, 16, false);
  // Codecs return samples in their low bits (PS3.5 8.2: HighBit is BitsStored - 1 in compressed frames).
  return { samples, shift: 0, width: decoded.width, height: decoded.height };
}

function firstFrameBytes(dataSet: dicomParser.DataSet, element: dicomParser.Element, frames: number): Uint8Array {
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new Error('DICOM pixel data has no fragments');
  try {
    if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length);
    if (element.basicOffsetTable?.length) return dicomParser.readEncapsulatedImageFrame(dataSet, element, 0);
    if (fragments.length === frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, 1);
    // Several frames, no offset table, frames split over fragments: only JPEG marks where a frame ends.
    return dicomParser.readEncapsulatedImageFrame(dataSet, element, 0, dicomParser.createJPEGBasicOffsetTable(dataSet, element));
  } catch (error) {
    throw new Error(`DICOM pixel data fragments are unreadable (truncated file?): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Samples as a typed array in machine order; copies when unaligned or big-endian. */
function nativeSamples(bytes: Uint8Array, bitsAllocated: number, bigEndian: boolean): Uint8Array | Uint16Array {
  if (bitsAllocated === 8) return bytes;
  const count = bytes.length >> 1;
  if (!bigEndian && bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  const samples = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    samples[i] = bigEndian ? (bytes[2 * i] << 8) | bytes[2 * i + 1] : bytes[2 * i] | (bytes[2 * i + 1] << 8);
  }
  return samples;
}
