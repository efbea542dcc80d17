import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { looksLikeDicom } from './dicom';
import { isImageFile } from './imageFormat';
import { mapLimit } from './mapLimit';
import { itemPaths, UNLABELED_DIR_NAME } from './safePath';
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
  /** Ids of the DICOMDIR (media directory) files found: not images, but they mark a media export. */
  dicomdirs: string[];
  problems: DatasetProblem[];
}

/** Bytes that tell a DICOM file by content: the preamble and "DICM", or the first elements of a bare data set. */
const DICOM_HEAD = 132;
/** Files whose heads are read at once while looking for DICOM among extension-less files. */
const SNIFF_CONCURRENCY = 16;

/**
 * Lists the image files under `root`. Hidden entries (including `.xray-curator/`) are skipped; symlinked
 * files are followed, symlinked folders are not (that is what keeps symlink loops harmless). Files named as
 * archives name DICOM (no extension, `.dicom`, or a UID's last number as the "extension") are taken when their
 * first bytes are DICOM; a DICOMDIR is reported, not taken: the images it lists are found by the walk anyway.
 */
export async function walkDataset(root: string): Promise<WalkResult> {
  const result: WalkResult = { files: [], classFolders: [], dicomdirs: [], problems: [] };
  const maybeDicom: FoundFile[] = [];
  await walkFolder(root, itemPaths(root), '', result, maybeDicom);
  // All heads at once, not folder by folder: series folders often hold a single file.
  await mapLimit(maybeDicom, SNIFF_CONCURRENCY, async (file) => {
    try {
      if (await startsLikeDicom(file.absPath)) result.files.push(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A broken link or a vanished file was never known to be an image; an unreadable one might be.
      if (code !== 'ENOENT' && code !== 'ELOOP') result.problems.push({ where: file.id, reason: `not readable (${code}): cannot tell whether it is a DICOM image` });
    }
  });
  result.files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  result.classFolders.sort();
  return result;
}

/** `folder`: the folder's id ('/'-separated, '' for the root). */
async function walkFolder(root: string, pathOf: (id: string) => string, folder: string, result: WalkResult, maybeDicom: FoundFile[]): Promise<void> {
  let entries: Dirent<Buffer>[];
  try {
    entries = await fs.readdir(folder ? pathOf(folder) : root, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    result.problems.push({ where: folder || '.', reason: `folder not readable: ${(error as NodeJS.ErrnoException).code}` });
    return;
  }
  for (const entry of entries) {
    const name = entry.name.toString('utf8');
    if (name.startsWith('.')) continue;
    const id = folder ? `${folder}/${name}` : name;
    const validName = Buffer.from(name, 'utf8').equals(entry.name);
    const absPath = pathOf(id);
    if (entry.isDirectory()) {
      if (!validName) {
        result.problems.push({ where: id, reason: 'folder name is not valid UTF-8: not scanned (rename it)' });
        continue;
      }
      if (folder === '' && name !== UNLABELED_DIR_NAME) result.classFolders.push(name);
      await walkFolder(root, pathOf, id, result, maybeDicom);
    } else if (name.toUpperCase() === 'DICOMDIR' && (entry.isFile() || entry.isSymbolicLink())) {
      result.dicomdirs.push(id);
      result.problems.push({ where: id, reason: 'DICOMDIR (media directory) skipped: not an image; the images it lists are scanned as files' });
    } else if (entry.isSymbolicLink() && !isImageFile(name)) {
      const target = await fs.stat(absPath).catch(() => null);
      if (target?.isDirectory()) result.problems.push({ where: id, reason: 'symbolic link to a folder: not followed' });
      // Only regular files are opened: a link to a FIFO would block the scan.
      else if (target?.isFile() && mayBeDicom(name) && validName) maybeDicom.push({ id, absPath });
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (!isImageFile(name)) {
        if (mayBeDicom(name) && validName) maybeDicom.push({ id, absPath });
      } else if (!validName) {
        result.files.push({ id, absPath, error: 'file name is not valid UTF-8 (rename it)' });
      } else if (entry.isSymbolicLink()) {
        result.files.push({ id, absPath, ...(await symlinkError(absPath)) });
      } else {
        result.files.push({ id, absPath });
      }
    }
  }
}

/** A file named as archives name DICOM whose first bytes are DICOM (the watcher asks this of files added later). */
export async function isDicomByContent(absPath: string): Promise<boolean> {
  return mayBeDicom(path.basename(absPath)) && startsLikeDicom(absPath).catch(() => false);
}

/** Names that DICOM files carry in archive exports: none (IM000001), `.dicom` (VinDr), or a UID (1.2.840.….7). */
export function mayBeDicom(name: string): boolean {
  const extension = path.extname(name).toLowerCase();
  return extension === '' || extension === '.dicom' || /^\.\d+$/.test(extension);
}

/** Reads only the head of the file: a folder of 50,000 extension-less files costs a small read each. */
async function startsLikeDicom(absPath: string): Promise<boolean> {
  const handle = await fs.open(absPath, 'r');
  try {
    const head = Buffer.alloc(DICOM_HEAD);
    const { bytesRead } = await handle.read(head, 0, DICOM_HEAD, 0);
    return looksLikeDicom(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
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
