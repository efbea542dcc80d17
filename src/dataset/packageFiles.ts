// Files that ship at the root of the extension and npm package (the built-in backbone, the demo dataset). The code
// runs from `dist/` (bundles, workers) or `out/src/<folder>/` (tests), so the root is found by walking up.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The absolute path of `relative` (e.g. `models/x/model.json`) in the package this code belongs to. */
export function packageFile(relative: string, start: string = __dirname): string {
  for (let dir = start, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${relative} is missing from the installed package (looked above ${start}); reinstall the extension`);
}

/** The demo dataset that ships with the package: 36 chest X-rays in class folders, with `manifest.csv` and `LICENSE.md`. */
export function shippedDemoDir(): string {
  return path.dirname(packageFile(path.join('demo-dataset', 'manifest.csv')));
}

/**
 * A writable copy of the demo in `target` (made once; later calls keep the labels, models and reports the user made
 * there), so the shipped files stay untouched. Returns `target`.
 */
export async function ensureDemoCopy(target: string): Promise<string> {
  if (fs.existsSync(path.join(target, 'manifest.csv'))) return target;
  const tmp = `${target}.tmp-${process.pid}`;
  await fs.promises.rm(tmp, { recursive: true, force: true });
  await fs.promises.cp(shippedDemoDir(), tmp, { recursive: true, filter: (src) => !src.includes(`${path.sep}.xray-curator`) });
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  await fs.promises.rename(tmp, target);
  return target;
}
