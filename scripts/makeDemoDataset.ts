// Writes a small synthetic chest-X-ray-like dataset (class folders + manifest.csv) so the extension can be tried
// with no data at hand. Usage: node out/scripts/makeDemoDataset.js [OUT_DIR] (default: demo-dataset/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';

const CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'] as const;
const PER_CLASS = 12;
const SIZE = 320;

/** A deterministic pseudo-random stream, so the demo is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two dark lung fields in a bright body; opacities (blobs) stand in for disease. */
function chestSvg(kind: (typeof CLASSES)[number], next: () => number): string {
  const lung = (cx: number): string =>
    `<ellipse cx="${cx + (next() - 0.5) * 10}" cy="${150 + (next() - 0.5) * 10}" rx="${58 + next() * 8}" ry="${105 + next() * 10}" fill="#1c1c1c"/>`;
  const blobs = kind === 'NORMAL' ? 0 : kind === 'COVID' ? 7 : 3;
  const opacities = Array.from({ length: blobs }, () => {
    const x = 90 + next() * 140;
    const y = 90 + next() * 140;
    const r = kind === 'COVID' ? 12 + next() * 14 : 25 + next() * 25;
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="#9a9a9a" fill-opacity="${0.35 + next() * 0.3}"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">
<defs><filter id="soft"><feGaussianBlur stdDeviation="6"/></filter></defs>
<rect width="100%" height="100%" fill="#050505"/>
<g filter="url(#soft)"><ellipse cx="160" cy="170" rx="135" ry="150" fill="#8c8c8c"/>${lung(105)}${lung(215)}
<rect x="150" y="30" width="20" height="260" fill="#b0b0b0"/>${opacities}</g></svg>`;
}

export async function makeDemoDataset(outDir: string): Promise<number> {
  const next = random(2022);
  const rows = ['path,label,source,patient_id'];
  for (const kind of CLASSES) {
    fs.mkdirSync(path.join(outDir, kind), { recursive: true });
    for (let i = 0; i < PER_CLASS; i++) {
      const id = `${kind}/demo-${kind.toLowerCase()}-${String(i + 1).padStart(2, '0')}.png`;
      await sharp(Buffer.from(chestSvg(kind, next))).greyscale().png().toFile(path.join(outDir, id));
      rows.push(`${id},${kind},demo,demo:${kind}:${Math.floor(i / 2)}`);
    }
  }
  fs.writeFileSync(path.join(outDir, 'manifest.csv'), rows.join('\n') + '\n');
  return CLASSES.length * PER_CLASS;
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? 'demo-dataset');
  makeDemoDataset(outDir).then(
    (count) => console.log(`wrote ${count} demo images to ${outDir}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
