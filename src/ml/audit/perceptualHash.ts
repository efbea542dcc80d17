/**
 * Perceptual hashes for near-duplicate images, and the image facts (channels, bit depth) the shortcut audit
 * uses as metadata. File I/O stays in {@link readFingerprint}; the rest works on pixels so tests can feed them.
 */
import sharp from 'sharp';

/** Difference hash of a (HASH_SIDE + 1) × HASH_SIDE grey thumbnail: HASH_SIDE² bits. */
export const HASH_SIDE = 16;
export const HASH_BITS = HASH_SIDE * HASH_SIDE;

export interface ImageFingerprint {
  /** dHash as hex, {@link HASH_BITS} bits. */
  dhash: string;
  /** Colour channels in the file (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA). */
  channels: number;
  /** Bits per sample in the file, e.g. 8 or 16. */
  bitDepth: number;
}

/**
 * dHash (Krawetz, "Kind of like that", 2013): each bit says whether a pixel is brighter than its right
 * neighbour in a (side + 1) × side thumbnail. 16 × 16 rather than the usual 8 × 8 because chest X-rays all
 * share one layout, and 64 bits leave unrelated films only a few bits apart.
 * `grey` holds `(side + 1) × side` values, row-major.
 */
export function dHashFromGrey(grey: ArrayLike<number>, side: number = HASH_SIDE): string {
  if (grey.length !== (side + 1) * side) throw new RangeError(`expected ${(side + 1) * side} grey values, got ${grey.length}`);
  const bytes = new Uint8Array(Math.ceil((side * side) / 8));
  let bit = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (grey[y * (side + 1) + x] > grey[y * (side + 1) + x + 1]) bytes[bit >> 3] |= 0x80 >> (bit & 7);
      bit++;
    }
  }
  return Buffer.from(bytes).toString('hex');
}

/** Number of differing bits between two hex hashes of equal length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`hashes of different lengths: ${a.length} and ${b.length}`);
  const words = hashWords([a, b], a.length / 8);
  return hammingWords(words, 0, words, 1, a.length / 8);
}

/** Hex hashes as 32-bit words, `wordsPerHash` per hash (zeros for null), for fast all-pairs comparison. */
export function hashWords(hashes: readonly (string | null)[], wordsPerHash: number): Uint32Array {
  const words = new Uint32Array(hashes.length * wordsPerHash);
  hashes.forEach((hash, i) => {
    if (hash === null) return;
    if (hash.length !== wordsPerHash * 8 || !/^[0-9a-f]*$/i.test(hash)) throw new RangeError(`hash ${i} is not ${wordsPerHash * 8} hex digits: ${hash}`);
    for (let w = 0; w < wordsPerHash; w++) words[i * wordsPerHash + w] = parseInt(hash.slice(w * 8, w * 8 + 8), 16);
  });
  return words;
}

/** Differing bits between hash `a` of `wa` and hash `b` of `wb`. */
export function hammingWords(wa: Uint32Array, a: number, wb: Uint32Array, b: number, wordsPerHash: number): number {
  let distance = 0;
  for (let w = 0; w < wordsPerHash; w++) {
    let x = (wa[a * wordsPerHash + w] ^ wb[b * wordsPerHash + w]) >>> 0;
    // Population count by bit slicing (Hacker's Delight 5-1).
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    distance += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return distance;
}

/** Side of the grey square the file is first averaged down to (see {@link readFingerprint}). */
const SMOOTH_SIDE = 64;

/**
 * Decodes the file once: the dHash of its grey thumbnail and its channel count and bit depth. The image is
 * first squashed to 64 × 64 with a linear kernel, then to the hash grid: going straight from different
 * sizes to 17 × 16 let resized JPEG copies drift up to 31 bits, through 64 × 64 at most 13 (30 copies of cxr).
 */
export async function readFingerprint(file: string): Promise<ImageFingerprint> {
  const image = sharp(file, { failOn: 'none' });
  const meta = await image.metadata();
  const smooth = await image
    .flatten({ background: '#000000' })
    .greyscale()
    .resize(SMOOTH_SIDE, SMOOTH_SIDE, { fit: 'fill', kernel: 'linear' })
    .raw({ depth: 'uchar' })
    .toBuffer();
  // Raw input comes back as sRGB unless told again that it is grey.
  const grey = await sharp(smooth, { raw: { width: SMOOTH_SIDE, height: SMOOTH_SIDE, channels: 1 } })
    .greyscale()
    .resize(HASH_SIDE + 1, HASH_SIDE, { fit: 'fill' })
    .raw({ depth: 'uchar' })
    .toBuffer();
  return { dhash: dHashFromGrey(grey), channels: meta.channels ?? 0, bitDepth: bitsOf(meta.depth) };
}

function bitsOf(depth: string | undefined): number {
  switch (depth) {
    case 'uchar':
    case 'char':
      return 8;
    case 'ushort':
    case 'short':
      return 16;
    case 'uint':
    case 'int':
    case 'float':
      return 32;
    case 'double':
      return 64;
    default:
      return 0;
  }
}
