import * as path from 'node:path';
import { watch } from 'chokidar';
import { FileFactsCache } from './fileCache';
import { isImageFile } from './imageFormat';
import type { JournalState } from './journalEntry';
import { readManifest } from './manifest';
import type { ManifestRow } from './manifest';
import { applyJournalState, makeItem } from './openDataset';
import { folderLabel, toItemId } from './safePath';
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
    const removedItems: DatasetItem[] = [];
    // Loaded per batch, not held: at 400,000 files the facts of every file are hundreds of megabytes.
    const cache = await FileFactsCache.load(dataset.root);
    for (const id of ids) {
      const absPath = path.join(dataset.root, ...id.split('/'));
      const position = index.get(id);
      // An extension-less (or `.dicom`, UID-named) file is an image only when its first bytes are DICOM.
      if (position === undefined && !isImageFile(absPath) && !(await isDicomByContent(absPath))) continue;
      const facts = await cache.facts(id, absPath).catch(() => null);
      if (!facts) {
        if (position !== undefined) removedItems.push(dataset.items[position]);
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
    const gone = new Set(removedItems.map((item) => item.id));
    dataset.items = dataset.items.filter((item) => !gone.has(item.id));
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
    await cache.save();
    if (changes.added.length + changes.removed.length + changes.changed.length > 0) onChange(changes);
  };

  const watcher = watch(dataset.root, {
    ignoreInitial: true,
    followSymlinks: false,
    // Hidden entries, including the tool's own `.xray-curator/` state, are not part of the dataset.
    ignored: (file: string) => path.relative(dataset.root, file).split(path.sep).some((part) => part.startsWith('.')),
  });
  // A file still being written may be hashed half-way; its next 'change' event replaces the item.
  watcher.on('all', (event, file) => {
    if (event === 'addDir' || event === 'unlinkDir' || !(isImageFile(file) || mayBeDicom(path.basename(file)))) return;
    pending.add(toItemId(path.relative(dataset.root, file)));
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(flush).catch(() => undefined);
    }, options.debounceMs ?? 200);
  });
  const close = async (): Promise<void> => {
    clearTimeout(timer);
    await watcher.close();
    await running;
  };
  // Listing a large folder takes a while; an abort stops it there.
  const stopped = new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => void close().then(resolve), { once: true }));
  if (options.signal?.aborted) {
    await close();
    return { close };
  }
  await Promise.race([new Promise<void>((resolve) => watcher.once('ready', () => resolve())), stopped]);
  return { close };
}
