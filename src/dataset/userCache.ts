import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { isReadOnlyFolderSync } from './readOnly';
import { STATE_DIR_NAME } from './safePath';

/**
 * The per-user cache folder of X-Ray Curator: `$XDG_CACHE_HOME/xray-curator` or `~/.cache/xray-curator` on Linux,
 * `~/Library/Caches/xray-curator` on macOS, `%LOCALAPPDATA%\xray-curator` on Windows. Never inside a dataset or a
 * project tree.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  const base =
    platform === 'win32' ? env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local')
    : platform === 'darwin' ? path.join(home, 'Library', 'Caches')
    : env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME
    : path.join(home, '.cache');
  return path.join(base, 'xray-curator');
}

/** Where thumbnails go when the caller has no folder of its own (the command-line tool). */
export function userThumbnailCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(userCacheDir(env, platform), 'thumbnails');
}

/**
 * The folder of a dataset's own files (journal, hash cache, embeddings, models, reports): `<root>/.xray-curator/`.
 * A dataset folder nobody may write to (a reference share, marked read-only by its mode bits) gets a stand-in in
 * the user's cache, `datasets/<folder name>-<hash of its path>/`, so it can still be labelled, trained and
 * reported on without a byte written into it.
 */
export function stateDirOf(root: string): string {
  const resolved = path.resolve(root);
  if (!isReadOnlyFolderSync(resolved)) return path.join(resolved, STATE_DIR_NAME);
  const key = createHash('sha256').update(resolved).digest('hex').slice(0, 12);
  return path.join(userCacheDir(), 'datasets', `${path.basename(resolved)}-${key}`);
}
