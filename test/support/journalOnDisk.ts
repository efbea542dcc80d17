import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every journal line a dataset's state folder holds, parsed, oldest first: the shared `journal.jsonl` of earlier
 * versions and each reader's `journals/<reader>.jsonl`. What a test reads to check that an edit reached the disk.
 */
export function journalOnDisk<T = Record<string, unknown>>(stateDir: string): T[] {
  const readers = path.join(stateDir, 'journals');
  const files = [path.join(stateDir, 'journal.jsonl'), ...(fs.existsSync(readers) ? fs.readdirSync(readers).filter((name) => name.endsWith('.jsonl')).sort().map((name) => path.join(readers, name)) : [])];
  const lines = files
    .filter((file) => fs.existsSync(file))
    .flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as T & { time?: string });
  // Stable: lines of one time keep their file and line order.
  return lines.map((line, index) => ({ line, index })).sort((a, b) => (a.line.time ?? '').localeCompare(b.line.time ?? '') || a.index - b.index).map(({ line }) => line);
}
