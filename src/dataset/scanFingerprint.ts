// What a scan depends on, in one hash: every image file's id, size and mtime, and the files the labels come from.
// A reopen compares the folder's fingerprint with the snapshot's: the same means the scan would find the same items,
// so the check behind the first paint is a walk and a stat per file, not a second dataset.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { IDENTIFIERS_FILE_NAME } from './dicom/identifiers';
import { SALT_FILE_NAME } from './dicom/salt';
import { isImageFile } from './imageFormat';
import { mapLimit } from './mapLimit';
import type { Dataset } from './types';
import { stateDirOf } from './userCache';
import { walkDataset } from './walk';

/** Files stat'ed at once: enough to hide disk latency, few enough for 2 cores. */
const STAT_CONCURRENCY = 8;

/** Size and mtime of one file, as the scan read them; null for a file it could not stat. */
export type FileStamp = { size: number; mtimeMs: number } | null;

/**
 * The fingerprint of a scan: `files` (id order) with their stamps, and the label sources: the manifest and label
 * files it read (`sources`, absolute), every other file at the root (a manifest or label file added since), the
 * DICOM salt and identifier policy.
 */
export async function scanFingerprint(root: string, files: readonly { id: string }[], stampAt: (index: number) => FileStamp, sources: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (let i = 0; i < files.length; i++) {
    const stamp = stampAt(i);
    hash.update(`${files[i].id}\0${stamp?.size ?? -1}\0${stamp?.mtimeMs ?? -1}\n`);
  }
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const rootFiles = entries.filter((entry) => entry.isFile() && !isImageFile(entry.name)).map((entry) => path.join(root, entry.name));
  const others = [...new Set([...sources, ...rootFiles, path.join(stateDirOf(root), SALT_FILE_NAME), path.join(stateDirOf(root), IDENTIFIERS_FILE_NAME)])].sort();
  for (const file of others) {
    const stat = await fs.stat(file).catch(() => null);
    hash.update(`source\0${file}\0${stat?.size ?? -1}\0${stat?.mtimeMs ?? -1}\n`);
  }
  return hash.digest('hex');
}

/** The label sources a scanned dataset names: its manifest and its multi-label files. */
export function labelSources(dataset: Pick<Dataset, 'manifestPath' | 'multiLabel'>): string[] {
  return [...(dataset.manifestPath ? [dataset.manifestPath] : []), ...(dataset.multiLabel?.labelFiles ?? [])];
}

/** The fingerprint of the folder as it is now, for a dataset whose label sources are `sources` (a default open). */
export async function folderFingerprint(root: string, sources: readonly string[]): Promise<string> {
  const datasetRoot = path.resolve(root);
  const { files } = await walkDataset(datasetRoot);
  // In two arrays of numbers, not an object per file: this runs beside a gallery holding 400,000 items.
  const sizes = new Float64Array(files.length).fill(-1);
  const mtimes = new Float64Array(files.length);
  await mapLimit(
    files.map((_, index) => index),
    STAT_CONCURRENCY,
    async (index) => {
      if (files[index].error) return;
      const stat = await fs.stat(files[index].absPath).catch(() => null);
      // What the scan records for a path that is not a regular file: size and mtime 0.
      sizes[index] = stat ? (stat.isFile() ? stat.size : 0) : -1;
      mtimes[index] = stat?.isFile() ? stat.mtimeMs : 0;
    },
  );
  return scanFingerprint(datasetRoot, files, (index) => (sizes[index] < 0 ? null : { size: sizes[index], mtimeMs: mtimes[index] }), sources);
}
