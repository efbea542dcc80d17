import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { imageSize } from 'image-size';
import sharp from 'sharp';
import { writeAtomically } from './atomicFile';
import { decodeDicomGrey, readDicomSize } from './dicom';
import { describeUnknownContent, sniffImageKind, truncationError } from './imageFormat';
import type { ImageKind } from './imageFormat';

/**
 * Largest image accepted, in pixels (width × height): 100 megapixels, e.g. 10,000 × 10,000.
 * Clinical radiographs are at most ~4,300 × 4,300 (18 MP); anything larger is refused before decoding so a
 * decompression bomb (a tiny file declaring 30,000 × 30,000) cannot exhaust memory.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Default long side of cached thumbnails, in pixels. */
export const THUMBNAIL_SIZE = 256;

export interface ImageHeader {
  kind: ImageKind;
  width: number;
  height: number;
}

/** RGB pixels, 3 bytes per pixel, row-major (height × width × 3). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Reads what an image declares about itself (format, size) without decoding pixels, and checks it is
 * usable: recognised content, not truncated, within `MAX_IMAGE_PIXELS`. Throws the reason otherwise.
 */
export async function readImageHeader(content: Uint8Array): Promise<ImageHeader> {
  const kind = sniffImageKind(content.subarray(0, 132));
  if (!kind) throw new Error(describeUnknownContent(content));
  const truncated = truncationError(kind, content);
  if (truncated) throw new Error(truncated);
  const { width, height } = kind === 'dicom' ? readDicomSize(content) : headerSize(content) ?? (await sharpSize(content));
  checkPixelLimit(width, height);
  return { kind, width, height };
}

/** Decodes a file to the model's input: RGB, alpha dropped, squashed to `size` × `size`. */
export async function decodeForModel(file: string, size: number): Promise<RgbImage> {
  return (await decodeImage(file, { modelSize: size })).model!;
}

/** Returns the cached WebP thumbnail for `hash` in `cacheDir`, making it first when missing. */
export async function thumbnail(file: string, hash: string, cacheDir: string, size = THUMBNAIL_SIZE): Promise<string> {
  return (await decodeImage(file, { thumbnail: { hash, cacheDir, size } })).thumbnailPath!;
}

export interface DecodeRequest {
  /** Side of the square model input to produce. */
  modelSize?: number;
  /** Also write (or reuse) the cached thumbnail. */
  thumbnail?: { hash: string; cacheDir: string; size?: number };
}

export interface DecodeResult {
  model?: RgbImage;
  thumbnailPath?: string;
}

/**
 * Decodes a file once and derives everything asked for from that one decode, so a 2,000 px PNG that needs
 * both a model input and a thumbnail is never decompressed twice.
 */
export async function decodeImage(file: string, request: DecodeRequest): Promise<DecodeResult> {
  const thumbnailTarget = request.thumbnail ? thumbnailPath(request.thumbnail.cacheDir, request.thumbnail.hash, request.thumbnail.size) : undefined;
  const thumbnailCached = thumbnailTarget !== undefined && (await exists(thumbnailTarget));
  if (request.modelSize === undefined && thumbnailCached) return { thumbnailPath: thumbnailTarget };
  const content = await fs.readFile(file);
  const header = await readImageHeader(content);
  // A thumbnail alone needs no more than its own size: a JPEG 2000 DICOM frame is then decoded at a reduced
  // resolution. A model input always comes from the full frame, so it is the same whatever the encoding.
  const thumbnailOnly = request.modelSize === undefined ? (request.thumbnail?.size ?? THUMBNAIL_SIZE) : undefined;
  const full = await decodeToRgb(content, header, thumbnailOnly);
  const result: DecodeResult = {};
  if (request.modelSize !== undefined) {
    const size = request.modelSize;
    const data = await fromRgb(full).resize(size, size, { fit: 'fill' }).raw().toBuffer();
    result.model = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: size, height: size };
  }
  if (request.thumbnail && thumbnailTarget) {
    if (!thumbnailCached) {
      const size = request.thumbnail.size ?? THUMBNAIL_SIZE;
      const webp = await fromRgb(full).resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
      await writeAtomically(thumbnailTarget, webp);
    }
    result.thumbnailPath = thumbnailTarget;
  }
  return result;
}

/** Where the thumbnail of the content `hash` lives: named by content, so renames and copies share it. */
export function thumbnailPath(cacheDir: string, hash: string, size = THUMBNAIL_SIZE): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a sha256 hex hash: ${hash}`);
  return path.join(cacheDir, hash.slice(0, 2), `${hash}-${size}.webp`);
}

async function decodeToRgb(content: Buffer, header: ImageHeader, longSideAtLeast?: number): Promise<RgbImage> {
  try {
    let input: sharp.Sharp;
    if (header.kind === 'dicom') {
      const grey = await decodeDicomGrey(content, { longSideAtLeast });
      input = sharp(grey.pixels, { raw: { width: grey.width, height: grey.height, channels: 1 } });
    } else {
      input = sharp(content, { limitInputPixels: MAX_IMAGE_PIXELS });
    }
    const { data, info } = await input.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (error) {
    throw new Error(`cannot decode ${header.kind.toUpperCase()} image: ${(error as Error).message}`);
  }
}

function fromRgb(image: RgbImage): sharp.Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

/**
 * Size from the header bytes alone (about 3 µs a file, against 200 µs for sharp's metadata), so a scan of 50,000
 * files does not pay a decoder call per file. Null when the header does not parse; the caller then asks sharp.
 */
function headerSize(content: Uint8Array): { width: number; height: number } | null {
  try {
    const { width, height } = imageSize(content);
    return width > 0 && height > 0 ? { width, height } : null;
  } catch {
    return null;
  }
}

async function sharpSize(content: Uint8Array): Promise<{ width: number; height: number }> {
  let metadata: sharp.Metadata;
  try {
    // Header only: sharp's own pixel limit is lifted here so the size check below gives the clear message.
    metadata = await sharp(content, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new Error(`unreadable image header: ${(error as Error).message}`);
  }
  if (!metadata.width || !metadata.height) throw new Error('image header has no size');
  return { width: metadata.width, height: metadata.height };
}

function checkPixelLimit(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new Error(`image too large: ${width} × ${height} exceeds the limit of ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} pixels`);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}
