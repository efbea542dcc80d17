// The last scan of a dataset, kept so that reopening shows it at once: the gallery paints from the snapshot and
// checks it against the folder in the background (`openDataset`), instead of scanning before the first paint.
// A cache, not domain data: the label journal is applied on top, and a missing or damaged snapshot only costs time.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from './atomicFile';
import type { Dataset, DatasetItem } from './types';
import { stateDirOf } from './userCache';

/** Version of `scan-cache.json` and `scan-preview.json`; another version is ignored (the next scan writes a new one). */
export const SCAN_SNAPSHOT_VERSION = 1;
const SNAPSHOT_FILE_NAME = 'scan-cache.json';
/**
 * The first items in id order, with the counts, in a file of their own: the gallery paints them while the whole
 * snapshot (80 MB at 400,000 items, seconds to parse) is read.
 */
const PREVIEW_FILE_NAME = 'scan-preview.json';
export const PREVIEW_ITEMS = 600;

/** An item as the scan found it: what the journal sets is left out, and the path is the root's plus the id. */
type SnapshotItem = Omit<DatasetItem, 'absPath' | 'label' | 'flagged' | 'note' | 'findings'> & { absPath?: string };

interface SnapshotFile {
  version: typeof SCAN_SNAPSHOT_VERSION;
  savedAt: string;
  dataset: Omit<Dataset, 'root' | 'items'> & { items: SnapshotItem[] };
}

interface PreviewFile extends SnapshotFile {
  /** How many items the snapshot has. */
  total: number;
  /** Items per effective label when it was saved (`unlabeled`: none). */
  counts: Record<string, number>;
}

/** A saved scan: the dataset, and when it was saved (a preview belongs to the snapshot saved with it). */
export interface ScanSnapshot {
  dataset: Dataset;
  savedAt: string;
}

export interface ScanPreview extends ScanSnapshot {
  total: number;
  counts: Record<string, number>;
}

function stateFile(root: string, name: string): string {
  return path.join(stateDirOf(root), name);
}

function defaultPath(root: string, id: string): string {
  return path.join(root, ...id.split('/'));
}

/** Saves the scan of `dataset` (a default open: no image list, no options); returns a warning instead of throwing. */
export async function saveScanSnapshot(dataset: Dataset): Promise<string | null> {
  const sorted = [...dataset.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const items = sorted.map((item): SnapshotItem => {
    const { absPath, label: _label, flagged: _flagged, note: _note, findings: _findings, ...scanned } = item;
    return absPath === defaultPath(dataset.root, item.id) ? scanned : { ...scanned, absPath };
  });
  const { root: _root, items: _items, ...rest } = dataset;
  const savedAt = new Date().toISOString();
  const counts: Record<string, number> = {};
  for (const item of dataset.items) counts[item.label ?? 'unlabeled'] = (counts[item.label ?? 'unlabeled'] ?? 0) + 1;
  const content: SnapshotFile = { version: SCAN_SNAPSHOT_VERSION, savedAt, dataset: { ...rest, items } };
  const preview: PreviewFile = { ...content, dataset: { ...rest, items: items.slice(0, PREVIEW_ITEMS) }, total: items.length, counts };
  try {
    // The preview last: one that is there always names the snapshot saved before it.
    await writeAtomically(stateFile(dataset.root, SNAPSHOT_FILE_NAME), JSON.stringify(content));
    await writeAtomically(stateFile(dataset.root, PREVIEW_FILE_NAME), JSON.stringify(preview));
    return null;
  } catch (error) {
    return `scan cache not saved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the next open scans before it shows the images`;
  }
}

/**
 * The dataset as the last scan saw it, its items unlabelled by the journal (apply `applyJournalState`); null when
 * there is no usable snapshot. The files may have changed since: the caller rescans.
 */
export async function readScanSnapshot(root: string): Promise<ScanSnapshot | null> {
  const datasetRoot = path.resolve(root);
  const parsed = await readState<SnapshotFile>(datasetRoot, SNAPSHOT_FILE_NAME);
  const dataset = parsed && restore(datasetRoot, parsed);
  return dataset ? { dataset, savedAt: parsed.savedAt } : null;
}

/** The first `PREVIEW_ITEMS` items of the last snapshot, its size and counts; null when there is none. */
export async function readScanPreview(root: string): Promise<ScanPreview | null> {
  const datasetRoot = path.resolve(root);
  const parsed = await readState<PreviewFile>(datasetRoot, PREVIEW_FILE_NAME);
  if (!parsed || !Number.isSafeInteger(parsed.total) || typeof parsed.counts !== 'object' || parsed.counts === null) return null;
  const dataset = restore(datasetRoot, parsed);
  return dataset ? { dataset, savedAt: parsed.savedAt, total: parsed.total, counts: parsed.counts } : null;
}

async function readState<T extends SnapshotFile>(root: string, name: string): Promise<T | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(stateFile(root, name), 'utf8')) as Partial<T>;
    return parsed.version === SCAN_SNAPSHOT_VERSION && typeof parsed.savedAt === 'string' ? (parsed as T) : null;
  } catch {
    return null;
  }
}

function restore(datasetRoot: string, parsed: SnapshotFile): Dataset | null {
  if (!parsed.dataset || !Array.isArray(parsed.dataset.items) || !Array.isArray(parsed.dataset.classes)) return null;
  const { items, ...rest } = parsed.dataset;
  const restored: DatasetItem[] = [];
  for (const item of items) {
    if (typeof item?.id !== 'string' || item.id.split('/').some((part) => part === '' || part === '.' || part === '..')) return null;
    restored.push({ ...item, absPath: item.absPath ?? defaultPath(datasetRoot, item.id), label: item.sourceLabel, flagged: false });
  }
  return { ...rest, root: datasetRoot, items: restored, problems: rest.problems ?? [], warnings: [] };
}

/** What differs between two scans of one folder: ids added, ids removed, and ids whose scanned facts changed. */
export function scanDifferences(before: Dataset, after: Dataset): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.items.map((item) => [item.id, item]));
  const added: string[] = [];
  const changed: string[] = [];
  for (const item of after.items) {
    const was = old.get(item.id);
    old.delete(item.id);
    if (!was) added.push(item.id);
    else if (scannedFacts(was) !== scannedFacts(item)) changed.push(item.id);
  }
  return { added, removed: [...old.keys()], changed };
}

function scannedFacts(item: DatasetItem): string {
  return JSON.stringify([item.hash, item.sourceLabel, item.error, item.format, item.width, item.height, item.metadata, item.sourceFindings]);
}
