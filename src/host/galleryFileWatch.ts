// Keeps an open gallery's dataset in step with the files on disk once its scan is done: added, changed and removed
// images reach the webview as patches, and the user hears of folders too many to watch.
import { MAX_WATCHED_FOLDERS, watchDataset } from '../dataset';
import type { DatasetWatcher } from '../dataset';
import type { Loaded } from './galleryLoader';

export interface GalleryFileEvents {
  /** Items added or changed, and ids removed. */
  changed(ids: readonly string[], removed: readonly string[]): void;
  /** A problem to show in the gallery. */
  problem(message: string): void;
  signal: AbortSignal;
}

/** Starts watching; undefined (and the problem shown) when the folder cannot be watched. */
export async function watchGalleryFiles(loaded: Loaded, events: GalleryFileEvents): Promise<{ dispose(): void } | undefined> {
  let watcher: DatasetWatcher;
  try {
    watcher = await watchDataset(
      loaded.dataset,
      (changes) => {
        loaded.byId = new Map(loaded.dataset.items.map((item) => [item.id, item]));
        events.changed([...changes.added, ...changes.changed].map((item) => item.id), changes.removed);
      },
      { journalState: () => loaded.journal.state, signal: events.signal },
    );
  } catch (error) {
    events.problem(`Not watching the folder for changes: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  if (watcher.unwatchedFolders) {
    events.problem(`${watcher.unwatchedFolders.toLocaleString('en-US')} folders are not watched for changes (at most ${MAX_WATCHED_FOLDERS.toLocaleString('en-US')} are): files added or changed there show when the gallery is opened again.`);
  }
  return { dispose: () => void watcher.close() };
}
