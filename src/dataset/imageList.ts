import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { resolveInside } from './safePath';
import type { DatasetProblem } from './types';

/**
 * Reads an image list (`paper-A.txt`): one path relative to the dataset root per line; blank lines and
 * lines starting with '#' are skipped. Bad and repeated lines become problems.
 */
export async function readImageList(root: string, file: string): Promise<{ ids: string[]; problems: DatasetProblem[] }> {
  const name = path.basename(file);
  const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const ids: string[] = [];
  const seen = new Set<string>();
  const problems: DatasetProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${name}:${index + 1}`;
    try {
      const { id } = resolveInside(root, line);
      if (seen.has(id)) {
        problems.push({ where, reason: `listed twice: ${id}` });
        return;
      }
      seen.add(id);
      ids.push(id);
    } catch (error) {
      problems.push({ where, reason: (error as Error).message });
    }
  });
  return { ids, problems };
}
