import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeAtomically } from './atomicFile';
import type { Dataset, DatasetItem } from './types';

export interface ExportOptions {
  /** `folders`: a class-folder copy (hard links where possible); `csv`: one manifest-style file. */
  format: 'folders' | 'csv';
  /** Export flagged items too (default false: flagged means "doubtful"). */
  includeFlagged?: boolean;
}

export interface ExportReport {
  target: string;
  exported: number;
  /** Hard links made (folders format); the rest were copied. */
  linked: number;
  skipped: { id: string; reason: string }[];
}

/**
 * Writes the curated dataset: every usable, labelled (and by default unflagged) item under its effective
 * label. The target must be outside the dataset and, for folders, empty or absent.
 */
export async function exportCurated(dataset: Dataset, target: string, options: ExportOptions): Promise<ExportReport> {
  const destination = path.resolve(target);
  const relative = path.relative(dataset.root, destination);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(`export target is inside the dataset folder: ${destination}`);
  }
  const report: ExportReport = { target: destination, exported: 0, linked: 0, skipped: [] };
  const chosen: DatasetItem[] = [];
  for (const item of dataset.items) {
    const reason = item.error ? `unusable: ${item.error}` : item.label === null ? 'unlabelled' : item.flagged && !options.includeFlagged ? 'flagged' : null;
    if (reason) report.skipped.push({ id: item.id, reason });
    else chosen.push(item);
  }
  if (options.format === 'csv') {
    await writeAtomically(destination, toCsv(chosen));
    report.exported = chosen.length;
    return report;
  }
  const existing = await fs.readdir(destination).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length > 0) throw new Error(`export folder is not empty: ${destination}`);
  const used = new Set<string>();
  for (const item of chosen) {
    const name = uniqueName(item.label!, path.posix.basename(item.id), used);
    const file = path.join(destination, item.label!, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.link(item.absPath, file);
      report.linked++;
    } catch {
      // Another file system, or links not allowed: a copy does the same job.
      await fs.copyFile(item.absPath, file);
    }
    report.exported++;
  }
  return report;
}

function uniqueName(label: string, name: string, used: Set<string>): string {
  const extension = path.posix.extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${stem}-${n}${extension}`;
    const key = `${label}/${candidate}`;
    if (!used.has(key)) {
      used.add(key);
      return candidate;
    }
  }
}

/** `path,label,hash,...metadata` with the dataset's item ids as paths: readable back as a manifest. */
function toCsv(items: readonly DatasetItem[]): string {
  const metadataColumns = [...new Set(items.flatMap((item) => Object.keys(item.metadata)))].filter((column) => !['path', 'label', 'hash'].includes(column));
  const rows = items.map((item) => [item.id, item.label ?? '', item.hash ?? '', ...metadataColumns.map((column) => item.metadata[column] ?? '')]);
  // Edge whitespace is quoted because readManifest trims unquoted fields.
  return stringify([['path', 'label', 'hash', ...metadataColumns], ...rows], { record_delimiter: 'windows', quoted_match: /^\s|\s$/ });
}
