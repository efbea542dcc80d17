import sharp from 'sharp';
import type { RegionBox } from '../../src/shared/protocol';

/**
 * Writes `source` as a PNG copy at `target` with a white "L" burned in near a random corner, as film markers are,
 * 7–10% of the short side; returns the letter's box in fractions of the image.
 */
export async function plantMarker(source: string, target: string, random: () => number): Promise<RegionBox> {
  const { width = 0, height = 0 } = await sharp(source).metadata();
  const size = Math.round(Math.min(width, height) * (0.07 + random() * 0.03));
  const x = Math.round((random() < 0.5 ? 0.05 + random() * 0.1 : 0.8 + random() * 0.08) * width);
  const y = Math.round((random() < 0.5 ? 0.05 + random() * 0.1 : 0.75 + random() * 0.08) * height);
  const svg = `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><text x="${x}" y="${y + size}" font-family="DejaVu Sans" font-weight="bold" font-size="${size * 1.3}" fill="white">L</text></svg>`;
  await sharp(source).composite([{ input: Buffer.from(svg) }]).png().toFile(target);
  return { x: (x - size * 0.1) / width, y: (y - size * 0.1) / height, w: (size * 1.1) / width, h: (size * 1.4) / height };
}

export const boxesOverlap = (a: RegionBox, b: RegionBox): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
