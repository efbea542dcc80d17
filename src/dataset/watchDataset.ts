import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FileFactsCache } from './fileCache';
import { foldersOf, watchFolders } from './folderWatch';
import { isImageFile } from './imageFormat';
import type { JournalState } from './journalEntry';
import { readManifest } from './manifest';
import type { ManifestRow } from './manifest';
import { applyJournalState, makeItem } from './openDataset';
import { folderLabel } from './safePath';
import { isDicomByContent, mayBeDicom } from './walk';
import type { Dataset, DatasetItem } from './types';

export interface DatasetChanges {
  added: DatasetItem[];
  removed: string[];
  /** Same id, new content. */
  changed: DatasetItem[];
  /** A removal and an addition of the same content in one batch. */
  renamed: { from: string; to: string }[];
}

export interface WatchOptions {
  /** Quiet time before a batch of changes is reported, in ms (default 200). */
  debounceMs?: number;
  /** The current journal state, to give new items their effective labels. */
  journalState?: () => JournalState;
  /** Stops the watcher, even while it is still listing the folder (a gallery closed before that ended). */
  signal?: AbortSignal;
}

export interface DatasetWatcher {
  /** Folders left unwatched by the limit on watches (`MAX_WATCHED_FOLDERS`): say so, their changes show at the next scan. */
  readonly unwatchedFolders: number;
  close(): Promise<void>;
}

/**
 * Keeps `dataset.items` in step with the disk: only the files that changed are hashed and added, removed or
 * replaced, then `onChange` gets the batch. A dataset opened from an image list takes no new files.
 */
export async function watchDataset(dataset: Dataset, onChange: (changes: DatasetChanges) => void, options: WatchOptions = {}): Promise<DatasetWatcher> {
  const rows = new Map<string, ManifestRow>();
  if (dataset.manifestPath) for (const [id, row] of (await readManifest(dataset.root, dataset.manifestPath)).rows) rows.set(id, row);
  const classFolders = [...dataset.classes];
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    const ids = [...pending];
    pending.clear();
    const changes: DatasetChanges = { added: [], removed: [], changed: [], renamed: [] };
    const index = new Map(dataset.items.map((item, position) => [item.id, position]));
    const removedItems = new Set<DatasetItem>();
    const gone = new Set<string>();
    const cache = await FileFactsCache.unsaved(dataset.root);
    for (const id of ids) {
      const absPath = path.join(dataset.root, ...id.split('/'));
      const position = index.get(id);
      if (position === undefined) {
        const stat = await fs.stat(absPath).catch(() => null);
        // Gone, and not an item: a folder removed or renamed away, or a file that never was an image.
        if (!stat) {
          gone.add(id);
          continue;
        }
        // As the scan takes them: an extension-less (or `.dicom`, UID-named) file is an image when its first bytes are DICOM.
        if (!stat.isFile() || (!isImageFile(absPath) && !(mayBeDicom(path.basename(absPath)) && (await isDicomByContent(absPath))))) continue;
      }
      const facts = await cache.facts(id, absPath).catch(() => null);
      if (!facts) {
        if (position !== undefined) removedItems.add(dataset.items[position]);
        continue;
      }
      const item = makeItem({ id, absPath }, facts, rows.get(id), classFolders);
      if (position !== undefined) {
        dataset.items[position] = item;
        changes.changed.push(item);
      } else if (!dataset.listPath) {
        dataset.items.push(item);
        changes.added.push(item);
      }
    }
    // One pass for every gone folder: an item goes when a folder above it went.
    if (gone.size) for (const item of dataset.items) if (underAny(item.id, gone)) removedItems.add(item);
    const removedIds = new Set([...removedItems].map((item) => item.id));
    dataset.items = dataset.items.filter((item) => !removedIds.has(item.id));
    for (const removed of removedItems) {
      const twin = removed.hash ? changes.added.find((added) => added.hash === removed.hash) : undefined;
      if (twin) changes.renamed.push({ from: removed.id, to: twin.id });
      changes.removed.push(removed.id);
    }
    for (const item of changes.added) {
      const folder = folderLabel(item.id);
      if (folder && !dataset.classes.includes(folder)) dataset.classes = [...dataset.classes, folder].sort();
    }
    if (options.journalState) applyJournalState(dataset, options.journalState());
    if (changes.added.length + changes.removed.length + changes.changed.length > 0) onChange(changes);
  };

  const folders = watchFolders(
    dataset.root,
    foldersOf(dataset.items.map((item) => item.id)),
    (relative) => {
      pending.add(relative);
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(flush).catch(() => undefined);
      }, options.debounceMs ?? 200);
    },
    // Hidden entries, including the tool's own `.xray-curator/` state, are not part of the dataset.
    { ignored: (relative) => relative.split('/').some((part) => part.startsWith('.')) },
  );
  // A file still being written may be hashed half-way; its next event replaces the item.
  const close = async (): Promise<void> => {
    clearTimeout(timer);
    folders.close();
    await running;
  };
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  if (options.signal?.aborted) await close();
  return {
    get unwatchedFolders() {
      return folders.unwatched;
    },
    close,
  };
}

/** Whether a folder above `id` is one of `folders`. */
function underAny(id: string, folders: ReadonlySet<string>): boolean {
  for (let slash = id.lastIndexOf('/'); slash > 0; slash = id.lastIndexOf('/', slash - 1)) if (folders.has(id.slice(0, slash))) return true;
  return false;
}
