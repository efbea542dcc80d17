/**
 * Inverted dropout for the head's training loop: every call draws a fresh seeded mask, so no two rows or steps
 * share one. Masks are made 32 features at a time from random words (each bit of a word is a fair coin): with
 * the keep probability written in binary as 0.b1 b2 … b16, folding words from the last 1-bit up with
 * `b ? mask | word : mask & word` keeps each feature with exactly that probability. The keep probability is rounded
 * to a multiple of 1/256, so a mask costs at most 8 words: the multi-label default 0.2 took 16, a quarter of
 * its epoch. The default rate 0.5 costs one word per 32 features, and each mask byte looks up its 8 multipliers.
 */
export interface Dropout {
  /** Generator state (mulberry32), advanced by every mask. */
  state: number;
  /** Keep probability in 1/65,536ths, a multiple of 256. */
  keep16: number;
  /** Its lowest 1-bit: words are folded from there up to bit 15 (the ½ bit). */
  lowestBit: number;
  /** For each mask byte, its 8 multipliers: 0 (dropped) or 65,536 / keep16, so the expected input is unchanged. */
  multipliers: Float32Array;
}

/** Dropout at `rate` seeded from `random` (the run's generator), or undefined when `rate` is 0. */
export function makeDropout(rate: number, random: () => number): Dropout | undefined {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return undefined;
  const keep16 = Math.min(255, Math.max(1, Math.round((1 - rate) * 256))) * 256;
  const multipliers = new Float32Array(256 * 8);
  for (let byte = 0; byte < 256; byte++) for (let i = 0; i < 8; i++) multipliers[byte * 8 + i] = (byte >>> i) & 1 ? 65536 / keep16 : 0;
  return { state: Math.floor(random() * 2 ** 32) | 0, keep16, lowestBit: 31 - Math.clz32(keep16 & -keep16), multipliers };
}

/** Writes `features[offset .. offset + length)` into `out` through a fresh mask. */
export function dropOut(dropout: Dropout, features: Float32Array, offset: number, out: Float32Array, length: number): void {
  const { keep16, lowestBit, multipliers } = dropout;
  let s = dropout.state;
  for (let start = 0; start < length; start += 32) {
    let mask = 0;
    for (let bit = lowestBit; bit < 16; bit++) {
      s = (s + 0x6d2b79f5) | 0;
      let word = Math.imul(s ^ (s >>> 15), s | 1);
      word ^= word + Math.imul(word ^ (word >>> 7), word | 61);
      word ^= word >>> 14;
      mask = (keep16 >>> bit) & 1 ? mask | word : mask & word;
    }
    const lanes = Math.min(32, length - start);
    for (let q = 0; q < lanes; q += 8) {
      const row = ((mask >>> q) & 255) * 8;
      const at = start + q;
      const count = Math.min(8, lanes - q);
      for (let i = 0; i < count; i++) out[at + i] = features[offset + at + i] * multipliers[row + i];
    }
  }
  dropout.state = s;
}
