// Watches a dataset's folders, not its files: one `fs.watch` per folder (an inotify watch on Linux) reports every
// entry added, changed or removed in it. chokidar watched each file and listed the tree first: at 400,000 files
// that was 46 s of the extension host's thread, a gigabyte of memory, and more inotify watches than Linux allows.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Folders watched at most. Each is one inotify watch, and a user has 8,192 to a few hundred thousand of them
 * (fs.inotify.max_user_watches) shared with every program: MIMIC-CXR's 227,000 study folders would take them all.
 */
export const MAX_WATCHED_FOLDERS = 10_000;

export interface FolderWatchOptions {
  /** Relative paths ('/'-separated) to leave out, with everything under them. */
  ignored: (relative: string) => boolean;
  max?: number;
}

export interface FolderWatch {
  /** Folders not watched because of the limit (their changes show at the next scan). */
  readonly unwatched: number;
  close(): void;
}

/**
 * Watches `folders` (relative, '/'-separated, '' for the root) and every folder created under them later; calls
 * `onEntry` with the relative path of each entry something happened to (it may be gone by then: the caller looks).
 * A folder added later is listed, so files written into it before its watch began are reported too.
 */
export function watchFolders(root: string, folders: Iterable<string>, onEntry: (relative: string) => void, options: FolderWatchOptions): FolderWatch {
  const max = options.max ?? MAX_WATCHED_FOLDERS;
  const watchers = new Map<string, fs.FSWatcher>();
  let unwatched = 0;
  let closed = false;
  const absolute = (relative: string): string => path.join(root, ...relative.split('/'));

  const stop = (folder: string): void => {
    for (const [watched, watcher] of watchers) {
      if (watched === folder || watched.startsWith(`${folder}/`)) {
        watcher.close();
        watchers.delete(watched);
      }
    }
  };
  const watchOne = (folder: string): void => {
    if (closed || watchers.has(folder)) return;
    if (watchers.size >= max) {
      unwatched++;
      return;
    }
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(absolute(folder), { persistent: false }, (_event, name) => {
        if (name) changed(folder ? `${folder}/${name.toString()}` : name.toString());
      });
    } catch {
      return; // Gone before its watch began: its parent reports it.
    }
    // The folder was removed or became unreadable: its parent's watch reports the removal.
    watcher.on('error', () => stop(folder));
    watchers.set(folder, watcher);
  };
  const watchTree = async (folder: string): Promise<void> => {
    watchOne(folder);
    const entries = await fs.promises.readdir(absolute(folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const relative = `${folder}/${entry.name}`;
      if (closed || options.ignored(relative)) continue;
      if (entry.isDirectory()) await watchTree(relative);
      else onEntry(relative);
    }
  };
  const changed = (relative: string): void => {
    if (closed || options.ignored(relative)) return;
    void fs.promises.lstat(absolute(relative)).then(
      (stat) => {
        if (stat.isDirectory()) void watchTree(relative);
        else onEntry(relative);
      },
      () => {
        if (watchers.has(relative)) stop(relative);
        onEntry(relative);
      },
    );
  };

  for (const folder of [...new Set(folders)].sort()) watchOne(folder);
  return {
    get unwatched() {
      return unwatched;
    },
    close: () => {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/** The folders holding `ids` and every folder above them, '' for the root. */
export function foldersOf(ids: Iterable<string>): Set<string> {
  const folders = new Set<string>(['']);
  for (const id of ids) {
    for (let slash = id.lastIndexOf('/'); slash > 0; slash = id.lastIndexOf('/', slash - 1)) {
      const folder = id.slice(0, slash);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return folders;
}
