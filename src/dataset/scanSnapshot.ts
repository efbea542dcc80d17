// The last scan of a dataset, kept so that reopening shows it at once: the gallery paints from the snapshot and
// checks it against the folder in the background (`openDataset`), instead of scanning before the first paint.
// A cache, not domain data: the label journal is applied on top, and a missing or damaged snapshot only costs time.
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { compareIds } from '../shared/itemOrder';
import { writeAtomically } from './atomicFile';
import { compactItem } from './compactItem';
import type { ScannedFacts } from './compactItem';
import { itemPaths } from './safePath';
import type { Dataset, DatasetItem } from './types';
import { stateDirOf } from './userCache';

/** Version of `scan-cache.jsonl` and `scan-preview.json`; another version is ignored (the next scan writes a new one). */
export const SCAN_SNAPSHOT_VERSION = 2;
/**
 * JSON lines: a header, then one item per line, read line by line. One JSON document of 400,000 items (80 MB) took a
 * second of the extension host's thread to parse and twice the items' memory while it did (version 1, `.json`).
 */
const SNAPSHOT_FILE_NAME = 'scan-cache.jsonl';
const OLD_SNAPSHOT_FILE_NAME = 'scan-cache.json';
/**
 * The first items in id order, with the counts, in a file of their own: the gallery paints them while the whole
 * snapshot is read.
 */
const PREVIEW_FILE_NAME = 'scan-preview.json';
export const PREVIEW_ITEMS = 600;
const LINES_PER_PIECE = 5000;

/** An item as the scan found it: what the journal sets is left out, and the path is the root's plus the id. */
type SnapshotItem = ScannedFacts & { absPath?: string };

type DatasetHeader = Omit<Dataset, 'root' | 'items'>;

/** The snapshot's first line; `total` item lines follow. */
interface SnapshotHeader {
  version: typeof SCAN_SNAPSHOT_VERSION;
  savedAt: string;
  total: number;
  dataset: DatasetHeader;
}

interface PreviewFile extends SnapshotHeader {
  dataset: DatasetHeader & { items: SnapshotItem[] };
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

/** Saves the scan of `dataset` (a default open: no image list, no options); returns a warning instead of throwing. */
export async function saveScanSnapshot(dataset: Dataset): Promise<string | null> {
  const sorted = [...dataset.items].sort(compareIds);
  const pathOf = itemPaths(dataset.root);
  const items = sorted.map((item): SnapshotItem => {
    const { absPath, label: _label, flagged: _flagged, note: _note, findings: _findings, ...scanned } = item;
    return absPath === pathOf(item.id) ? scanned : { ...scanned, absPath };
  });
  const { root: _root, items: _items, ...rest } = dataset;
  const header: SnapshotHeader = { version: SCAN_SNAPSHOT_VERSION, savedAt: new Date().toISOString(), total: items.length, dataset: rest };
  const counts: Record<string, number> = {};
  for (const item of dataset.items) counts[item.label ?? 'unlabeled'] = (counts[item.label ?? 'unlabeled'] ?? 0) + 1;
  const preview: PreviewFile = { ...header, dataset: { ...rest, items: items.slice(0, PREVIEW_ITEMS) }, counts };
  try {
    // The preview last: one that is there always names the snapshot saved before it.
    await writeAtomically(stateFile(dataset.root, SNAPSHOT_FILE_NAME), snapshotLines(header, items));
    await writeAtomically(stateFile(dataset.root, PREVIEW_FILE_NAME), JSON.stringify(preview));
    await fs.rm(stateFile(dataset.root, OLD_SNAPSHOT_FILE_NAME), { force: true });
    return null;
  } catch (error) {
    return `scan cache not saved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the next open scans before it shows the images`;
  }
}

/** The snapshot's lines, a few thousand items to a piece. */
function* snapshotLines(header: SnapshotHeader, items: readonly SnapshotItem[]): Generator<string> {
  yield `${JSON.stringify(header)}\n`;
  for (let start = 0; start < items.length; start += LINES_PER_PIECE) {
    yield `${items
      .slice(start, start + LINES_PER_PIECE)
      .map((item) => JSON.stringify(item))
      .join('\n')}\n`;
  }
}

/**
 * The dataset as the last scan saw it, its items unlabelled by the journal (apply `applyJournalState`); null when
 * there is no usable snapshot. The files may have changed since: the caller rescans.
 */
export async function readScanSnapshot(root: string): Promise<ScanSnapshot | null> {
  const datasetRoot = path.resolve(root);
  const pathOf = itemPaths(datasetRoot);
  let header: SnapshotHeader | undefined;
  const items: DatasetItem[] = [];
  const lines = createInterface({ input: createReadStream(stateFile(datasetRoot, SNAPSHOT_FILE_NAME)), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!header) {
        header = JSON.parse(line) as SnapshotHeader;
        if (!isHeader(header)) return null;
      } else if (line) {
        const item = JSON.parse(line) as SnapshotItem;
        if (!isSafeId(item?.id)) return null;
        items.push(compactItem(item, item.absPath ?? pathOf(item.id)));
      }
    }
  } catch {
    return null;
  } finally {
    lines.close();
  }
  // A file cut short (a crash while it was copied) is as good as none.
  if (!header || items.length !== header.total) return null;
  return { dataset: restoreDataset(datasetRoot, header.dataset, items), savedAt: header.savedAt };
}

/** The first `PREVIEW_ITEMS` items of the last snapshot, its size and counts; null when there is none. */
export async function readScanPreview(root: string): Promise<ScanPreview | null> {
  const datasetRoot = path.resolve(root);
  let parsed: PreviewFile;
  try {
    parsed = JSON.parse(await fs.readFile(stateFile(datasetRoot, PREVIEW_FILE_NAME), 'utf8')) as PreviewFile;
  } catch {
    return null;
  }
  if (!isHeader(parsed) || !Array.isArray(parsed.dataset.items) || typeof parsed.counts !== 'object' || parsed.counts === null) return null;
  const pathOf = itemPaths(datasetRoot);
  const { items, ...rest } = parsed.dataset;
  if (!items.every((item) => isSafeId(item?.id))) return null;
  const dataset = restoreDataset(datasetRoot, rest, items.map((item) => compactItem(item, item.absPath ?? pathOf(item.id))));
  return { dataset, savedAt: parsed.savedAt, total: parsed.total, counts: parsed.counts };
}

function isHeader(parsed: Partial<SnapshotHeader> | null): parsed is SnapshotHeader {
  return parsed?.version === SCAN_SNAPSHOT_VERSION && typeof parsed.savedAt === 'string' && Number.isSafeInteger(parsed.total) && Array.isArray(parsed.dataset?.classes);
}

function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && !id.split('/').some((part) => part === '' || part === '.' || part === '..');
}

function restoreDataset(datasetRoot: string, header: DatasetHeader, items: DatasetItem[]): Dataset {
  return { ...header, root: datasetRoot, items, problems: header.problems ?? [], warnings: [] };
}

