// Generated test data for the ML engine: small synthetic class folders made with sharp under os.tmpdir().
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';

/** A seeded generator for fixture pixels (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * A greyscale image of class `A` (a bright disc) or `B` (bright vertical bars) over seeded noise, so a
 * linear head on MobileNetV2 features separates the two.
 */
export async function syntheticImage(kind: 'A' | 'B', seed: number, size = 96): Promise<Buffer> {
  const random = lcg(seed);
  const pixels = Buffer.alloc(size * size);
  const c = size / 2 + (random() - 0.5) * size * 0.2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = kind === 'A' ? (x - c) ** 2 + (y - c) ** 2 < (size * 0.3) ** 2 : Math.floor(x / (size / 8)) % 2 === 0;
      pixels[y * size + x] = Math.min(255, (on ? 170 : 40) + Math.floor(random() * 60));
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
}

export interface Fixture {
  root: string;
  remove(): void;
}

/**
 * A dataset folder `A/`, `B/` with `perClass` images each, and a manifest with `patient_id` (two images
 * per patient) and `source` (`s1`/`s2` alternating).
 */
export async function syntheticDataset(perClass: number, seedOffset = 0): Promise<Fixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-ml-'));
  const rows = ['path,label,patient_id,source'];
  for (const kind of ['A', 'B'] as const) {
    fs.mkdirSync(path.join(root, kind));
    for (let i = 0; i < perClass; i++) {
      const rel = `${kind}/img${i}.png`;
      fs.writeFileSync(path.join(root, rel), await syntheticImage(kind, seedOffset + i * 2 + (kind === 'A' ? 0 : 1)));
      rows.push(`${rel},${kind},${kind}-p${Math.floor(i / 2)},s${(i % 2) + 1}`);
    }
  }
  fs.writeFileSync(path.join(root, 'manifest.csv'), `${rows.join('\n')}\n`);
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function tempDir(prefix: string): Fixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
