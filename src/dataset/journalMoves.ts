// The file renames of "apply labels to folders", performed before their move entries are journalled.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { JournalEntry } from './journalEntry';
import { resolveInside } from './safePath';

/**
 * Performs the file renames of the move entries in order, before they are journalled. Stops at the first
 * failure and returns the entries up to it, so only moves that happened are recorded.
 */
export async function performMoves(root: string, entries: JournalEntry[]): Promise<{ done: JournalEntry[]; failure?: Error }> {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.kind !== 'move') continue;
    try {
      await moveFile(root, entry.old as string, entry.new as string);
    } catch (error) {
      return { done: entries.slice(0, i), failure: new Error(`cannot move ${String(entry.old)} to ${String(entry.new)}: ${(error as Error).message}`) };
    }
  }
  return { done: entries };
}

/** Renames a file inside the dataset, refusing to overwrite; creates the target folder. */
async function moveFile(root: string, fromId: string, toId: string): Promise<void> {
  const from = resolveInside(root, fromId).absPath;
  const to = resolveInside(root, toId).absPath;
  await fs.mkdir(path.dirname(to), { recursive: true });
  // link + unlink instead of rename: fails rather than replacing a file already at the target.
  await fs.link(from, to);
  await fs.unlink(from);
}
