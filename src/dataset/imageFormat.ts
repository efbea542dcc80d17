import * as path from 'node:path';
import { looksLikeDicom } from './dicom';

/** File extensions the dataset scan treats as images. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.dcm']);

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'tiff' | 'dicom';

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** The format a file's first bytes announce, or null: decides before any decoder sees the file. */
export function sniffImageKind(head: Uint8Array): ImageKind | null {
  const at = (offset: number, ascii: string): boolean =>
    head.length >= offset + ascii.length && [...ascii].every((ch, i) => head[offset + i] === ch.charCodeAt(0));
  if (head.length >= 8 && head[0] === 0x89 && at(1, 'PNG\r\n')) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return 'webp';
  if (at(0, 'II*\0') || at(0, 'MM\0*')) return 'tiff';
  if (looksLikeDicom(head)) return 'dicom';
  return null;
}

/**
 * Cheap end-of-file checks that catch truncated files during a scan without decoding them:
 * a PNG ends with its IEND chunk, a JPEG has an end-of-image marker near its end.
 */
export function truncationError(kind: ImageKind, content: Uint8Array): string | null {
  if (kind === 'png') {
    const tail = Buffer.from(content.subarray(Math.max(0, content.length - 4096)));
    return tail.includes('IEND') ? null : 'truncated PNG (no IEND chunk)';
  }
  if (kind === 'jpeg') {
    const tail = content.subarray(Math.max(0, content.length - 4096));
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return null;
    return 'truncated JPEG (no end-of-image marker)';
  }
  return null;
}

/** Describes unrecognised content for the error message ("a text file", "unknown binary"). */
export function describeUnknownContent(head: Uint8Array): string {
  if (head.length === 0) return 'empty file (0 bytes)';
  const sample = head.subarray(0, 512);
  const printable = sample.filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128).length;
  return printable === sample.length ? 'not an image (the content is text)' : 'not an image (unrecognised content)';
}
