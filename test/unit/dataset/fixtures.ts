import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';

/** A fresh folder under the system temp dir; removed by `removeTempDirs` in an `after` hook. */
export async function makeTempDir(prefix = 'xray-dataset-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

const created: string[] = [];

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

/** A small greyscale chest-like PNG (a gradient), distinct per `seed` so hashes differ. */
export async function pngBytes(seed: number, width = 32, height = 24): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = (x * 7 + y * 3 + seed * 13) % 256;
  return sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

export async function writeFile(root: string, relative: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(root, ...relative.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
  return file;
}

/** Writes `count` PNGs per class into class folders; returns their ids. */
export async function makeClassFolders(root: string, classes: Record<string, number>): Promise<string[]> {
  const ids: string[] = [];
  let seed = 0;
  for (const [label, count] of Object.entries(classes)) {
    for (let i = 0; i < count; i++) {
      const id = `${label}/img${i}.png`;
      await writeFile(root, id, await pngBytes(seed++));
      ids.push(id);
    }
  }
  return ids;
}

/**
 * A minimal uncompressed DICOM file (explicit VR little endian, 16-bit monochrome), enough for the decoder:
 * the tests need DICOM input and no DICOM writer is installed.
 */
export function dicomBytes(options: { width: number; height: number; pixels: Uint16Array; photometric: 'MONOCHROME1' | 'MONOCHROME2'; window?: [number, number] }): Buffer {
  const element = (group: number, tag: number, vr: string, value: Buffer): Buffer => {
    const padded = value.length % 2 === 1 ? Buffer.concat([value, Buffer.from(vr === 'UI' ? '\0' : ' ')]) : value;
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT'].includes(vr);
    const head = Buffer.alloc(long ? 12 : 8);
    head.writeUInt16LE(group, 0);
    head.writeUInt16LE(tag, 2);
    head.write(vr, 4, 'latin1');
    if (long) head.writeUInt32LE(padded.length, 8);
    else head.writeUInt16LE(padded.length, 6);
    return Buffer.concat([head, padded]);
  };
  const text = (value: string): Buffer => Buffer.from(value, 'latin1');
  const us = (value: number): Buffer => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value);
    return b;
  };
  const transferSyntax = element(0x0002, 0x0010, 'UI', text('1.2.840.10008.1.2.1'));
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(transferSyntax.length);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', groupLength), transferSyntax]);
  const body = [
    element(0x0028, 0x0002, 'US', us(1)),
    element(0x0028, 0x0004, 'CS', text(options.photometric)),
    element(0x0028, 0x0010, 'US', us(options.height)),
    element(0x0028, 0x0011, 'US', us(options.width)),
    element(0x0028, 0x0100, 'US', us(16)),
    element(0x0028, 0x0101, 'US', us(12)),
    element(0x0028, 0x0102, 'US', us(11)),
    element(0x0028, 0x0103, 'US', us(0)),
    ...(options.window ? [element(0x0028, 0x1050, 'DS', text(String(options.window[0]))), element(0x0028, 0x1051, 'DS', text(String(options.window[1])))] : []),
    element(0x7fe0, 0x0010, 'OW', Buffer.from(options.pixels.buffer, options.pixels.byteOffset, options.pixels.byteLength)),
  ];
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, ...body]);
}

/** A valid 1 × 1 PNG whose header is rewritten to declare `width` × `height` (a decompression bomb's header). */
export async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await pngBytes(1, 1, 1));
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type + data (bytes 12..29).
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
