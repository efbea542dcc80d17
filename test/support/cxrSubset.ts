import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linkOrCopy } from './mirror';
import { CXR_DIR, requireShared } from './shared';

/**
 * A writable copy of the first `perClass` images of each class of the shared (read-only) chest X-ray set, under
 * the system temp folder: hard links (no bytes copied) plus their manifest rows. Tests that edit labels use it.
 */
export function makeCxrSubset(perClass: number): string {
  const source = requireShared(CXR_DIR);
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-cxr-subset-'));
  const [header, ...rows] = fs.readFileSync(path.join(source, 'manifest.csv'), 'utf8').trimEnd().split('\n');
  const kept: string[] = [];
  const taken = new Map<string, number>();
  for (const row of rows) {
    const file = row.slice(0, row.indexOf(','));
    const folder = file.slice(0, file.indexOf('/'));
    if ((taken.get(folder) ?? 0) >= perClass) continue;
    taken.set(folder, (taken.get(folder) ?? 0) + 1);
    linkOrCopy(path.join(source, file), path.join(target, file));
    kept.push(row);
  }
  fs.writeFileSync(path.join(target, 'manifest.csv'), `${[header, ...kept].join('\n')}\n`);
  return target;
}
