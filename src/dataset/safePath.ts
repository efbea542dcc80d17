import * as path from 'node:path';

/** Folder inside every dataset that holds the tool's own state (journal, hash cache, lock). */
export const STATE_DIR_NAME = '.xray-curator';

/** Folder whose images are explicitly unlabelled. */
export const UNLABELED_DIR_NAME = 'unlabeled';

/** Turns a native relative path into an item id ('/' separators). */
/**
 * The path of an item by id under `root` (absolute, normalised). On POSIX one shared prefix joined to the id: at
 * 400,000 items, a path joined and normalised per item kept four times its length in string pieces.
 */
export function itemPaths(root: string): (id: string) => string {
  if (path.sep !== '/') return (id) => path.join(root, ...id.split('/'));
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return (id) => prefix + id;
}

/**
 * `absPath` as `itemPaths(root)` gives it for `id` (the shared prefix, not a copy) when it is that path, else
 * `absPath` itself: for items built elsewhere (a worker's structured clones), whose paths are whole strings.
 */
export function sharedItemPaths(root: string): (id: string, absPath: string) => string {
  if (path.sep !== '/') return (_id, absPath) => absPath;
  const pathOf = itemPaths(root);
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return (id, absPath) => (absPath.length === prefix.length + id.length && absPath.startsWith(prefix) && absPath.endsWith(id) ? pathOf(id) : absPath);
}

export function toItemId(relativePath: string): string {
  return relativePath.split(path.sep).join('/');
}

/**
 * Resolves a path written in a manifest or list (relative to the dataset root) to an item id.
 * Throws with the reason when it is absolute or leaves the dataset folder, so bad rows never reach the disk.
 */
export function resolveInside(root: string, written: string): { id: string; absPath: string } {
  const trimmed = written.trim();
  if (trimmed === '') throw new Error('empty path');
  if (trimmed.includes('\0')) throw new Error('path contains a NUL byte');
  if (path.isAbsolute(trimmed) || path.win32.isAbsolute(trimmed)) throw new Error(`absolute path not allowed: ${trimmed}`);
  const absPath = path.resolve(root, trimmed.replace(/\\/g, '/'));
  const relative = path.relative(root, absPath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`path leaves the dataset folder: ${trimmed}`);
  }
  const id = toItemId(relative);
  if (id.split('/')[0] === STATE_DIR_NAME) throw new Error(`path inside ${STATE_DIR_NAME}/: ${trimmed}`);
  return { id, absPath };
}

/** The class a file's location gives it: its top-level folder, or null at the root or in `unlabeled/`. */
export function folderLabel(id: string): string | null {
  const slash = id.indexOf('/');
  if (slash < 0) return null;
  const top = id.slice(0, slash);
  return top === UNLABELED_DIR_NAME ? null : top;
}
