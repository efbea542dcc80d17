import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isReadOnlyFolder } from './readOnly';
import type { JournalEntry } from './journalEntry';
import type { LabelJournal } from './labelJournal';
import { classNameProblem } from './manifest';
import { folderLabel, UNLABELED_DIR_NAME } from './safePath';
import type { Dataset, DatasetItem } from './types';

/** One file move that "apply labels to folders" would make. */
export interface PlannedMove {
  from: string;
  to: string;
  /** The effective label the move realises (null: to `unlabeled/`). */
  label: string | null;
}

/**
 * The dry run of "apply labels to folders": every usable item whose effective label differs from the
 * folder it sits in, with a free destination name in its class folder (labels that cannot be folder names
 * are left out). Nothing is touched.
 */
export async function planApplyToFolders(dataset: Dataset): Promise<PlannedMove[]> {
  const taken = new Set(dataset.items.map((item) => item.id));
  const moves: PlannedMove[] = [];
  for (const item of dataset.items) {
    if (item.error || item.label === folderLabel(item.id)) continue;
    if (item.label !== null && classNameProblem(item.label)) continue;
    const folder = item.label ?? UNLABELED_DIR_NAME;
    const to = await freeName(dataset.root, folder, path.posix.basename(item.id), taken);
    taken.add(to);
    moves.push({ from: item.id, to, label: item.label });
  }
  return moves;
}

/**
 * Performs planned moves as one journal group: each rename is recorded, the whole apply is one undo step
 * (`journal.undo()` moves the files back), and manifest rows follow the files on the next open.
 * Updates the moved items of `dataset` in place.
 */
export async function applyToFolders(dataset: Dataset, journal: LabelJournal, moves: readonly PlannedMove[]): Promise<JournalEntry[]> {
  if (moves.length > 0 && (await isReadOnlyFolder(dataset.root))) {
    throw new Error(`the dataset folder is read-only: files cannot be moved into class folders (${dataset.root}); export a curated copy instead`);
  }
  const byId = new Map(dataset.items.map((item) => [item.id, item]));
  const edits = moves.map((move) => {
    const item = byId.get(move.from);
    if (!item) throw new Error(`not an item of the dataset: ${move.from}`);
    return { kind: 'move' as const, item, value: move.to };
  });
  try {
    return await journal.record(edits);
  } finally {
    // After a failure part of the moves happened: the disk says which.
    for (const move of moves) {
      const arrived = await exists(path.join(dataset.root, ...move.to.split('/')));
      const left = !(await exists(path.join(dataset.root, ...move.from.split('/'))));
      if (arrived && left) relocate(dataset, byId.get(move.from), move.to);
    }
  }
}

function relocate(dataset: Dataset, item: DatasetItem | undefined, id: string): void {
  if (!item) return;
  // A label that came from the folder follows the new folder; one from the manifest stays.
  if (item.sourceLabel === folderLabel(item.id)) item.sourceLabel = folderLabel(id);
  item.id = id;
  item.absPath = path.join(dataset.root, ...id.split('/'));
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(() => true, () => false);
}

async function freeName(root: string, folder: string, name: string, taken: ReadonlySet<string>): Promise<string> {
  const extension = path.posix.extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let n = 0; ; n++) {
    const candidate = `${folder}/${n === 0 ? name : `${stem}-${n}${extension}`}`;
    if (taken.has(candidate)) continue;
    const onDisk = await exists(path.join(root, folder, path.posix.basename(candidate)));
    if (!onDisk) return candidate;
  }
}
