// Working datasets for the benchmarks, made of hard links under the system temp folder (no bytes copied, and
// the read-only shared data is never written to). Each is made once per working folder and reused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGE_EXTENSIONS } from '../../src/dataset';
import { linkOrCopy } from '../../test/support/mirror';
import { CXR_DIR, requireShared } from '../../test/support/shared';

const DONE_MARKER = '.bench-complete';

/** Image files under `dir` (recursively, hidden entries skipped), sorted by relative path. */
export function listImages(dir: string): string[] {
  const out: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** Runs `make` into a fresh `target` unless a complete earlier copy is there; returns `target`. */
export function once(target: string, make: (dir: string) => void): string {
  if (fs.existsSync(path.join(target, DONE_MARKER))) return target;
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  make(target);
  fs.writeFileSync(path.join(target, DONE_MARKER), '');
  return target;
}


/** A writable hard-linked copy of the shared `cxr` set with its manifest and the paper-A/B lists. */
export function cxrWorkCopy(work: string): string {
  const source = requireShared(CXR_DIR);
  return once(path.join(work, 'cxr'), (dir) => {
    for (const rel of listImages(source)) linkOrCopy(path.join(source, rel), path.join(dir, rel));
    for (const name of ['manifest.csv', 'paper-A.txt', 'paper-B.txt']) fs.copyFileSync(path.join(source, name), path.join(dir, name));
  });
}

/**
 * `count` images in the class folders of `source`, as hard links cycling through its images (`r<k>-<name>`),
 * so a folder of 50,000 is made from 1,502 real files.
 */
export function replicatedDataset(work: string, source: string, count: number): string {
  return once(path.join(work, `scan-${count}`), (dir) => {
    const images = listImages(source);
    for (let i = 0; i < count; i++) {
      const rel = images[i % images.length];
      const slash = rel.lastIndexOf('/');
      const copy = `${rel.slice(0, slash + 1)}r${Math.floor(i / images.length)}-${rel.slice(slash + 1)}`;
      linkOrCopy(path.join(source, rel), path.join(dir, copy));
    }
  });
}

/** Every `step`-th image of `source` (spread over all classes), hard-linked into a fresh folder. */
export function sampledDataset(work: string, source: string, name: string, count: number): string {
  return once(path.join(work, name), (dir) => {
    const images = listImages(source);
    const step = images.length / Math.min(count, images.length);
    for (let k = 0; k < Math.min(count, images.length); k++) {
      const rel = images[Math.floor(k * step)];
      linkOrCopy(path.join(source, rel), path.join(dir, rel));
    }
  });
}
