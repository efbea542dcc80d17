import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isImageFile } from './imageFormat';
import { toItemId, UNLABELED_DIR_NAME } from './safePath';
import type { DatasetProblem } from './types';

/** An image file found on disk; `error` when it is there but cannot be read as a file. */
export interface FoundFile {
  id: string;
  absPath: string;
  error?: string;
}

export interface WalkResult {
  files: FoundFile[];
  /** Top-level folders that name classes (not hidden, not `unlabeled/`). */
  classFolders: string[];
  problems: DatasetProblem[];
}

/**
 * Lists the image files under `root`. Hidden entries (including `.xray-curator/`) are skipped; symlinked
 * files are followed, symlinked folders are not (that is what keeps symlink loops harmless).
 */
export async function walkDataset(root: string): Promise<WalkResult> {
  const result: WalkResult = { files: [], classFolders: [], problems: [] };
  await walkFolder(root, '', result);
  result.files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  result.classFolders.sort();
  return result;
}

async function walkFolder(root: string, relative: string, result: WalkResult): Promise<void> {
  let entries: Dirent<Buffer>[];
  try {
    entries = await fs.readdir(path.join(root, relative), { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    result.problems.push({ where: toItemId(relative) || '.', reason: `folder not readable: ${(error as NodeJS.ErrnoException).code}` });
    return;
  }
  for (const entry of entries) {
    const name = entry.name.toString('utf8');
    if (name.startsWith('.')) continue;
    const childRelative = path.join(relative, name);
    const id = toItemId(childRelative);
    const validName = Buffer.from(name, 'utf8').equals(entry.name);
    if (entry.isDirectory()) {
      if (!validName) {
        result.problems.push({ where: id, reason: 'folder name is not valid UTF-8: not scanned (rename it)' });
        continue;
      }
      if (relative === '' && name !== UNLABELED_DIR_NAME) result.classFolders.push(name);
      await walkFolder(root, childRelative, result);
    } else if (entry.isSymbolicLink() && !isImageFile(name)) {
      if (await isFolder(path.join(root, childRelative))) {
        result.problems.push({ where: id, reason: 'symbolic link to a folder: not followed' });
      }
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (!isImageFile(name)) continue;
      const absPath = path.join(root, childRelative);
      if (!validName) {
        result.files.push({ id, absPath, error: 'file name is not valid UTF-8 (rename it)' });
      } else if (entry.isSymbolicLink()) {
        result.files.push({ id, absPath, ...(await symlinkError(absPath)) });
      } else {
        result.files.push({ id, absPath });
      }
    }
  }
}

async function isFolder(absPath: string): Promise<boolean> {
  return fs.stat(absPath).then((stat) => stat.isDirectory(), () => false);
}

async function symlinkError(absPath: string): Promise<{ error?: string }> {
  try {
    const target = await fs.stat(absPath);
    return target.isFile() ? {} : { error: 'symbolic link to something that is not a file' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ELOOP' ? 'symbolic link loop' : `broken symbolic link (${code})` };
  }
}
