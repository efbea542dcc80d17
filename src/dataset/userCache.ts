import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The per-user cache folder for thumbnails when no caller-provided folder exists (the command-line tool):
 * `$XDG_CACHE_HOME/xray-curator/thumbnails` or `~/.cache/...` on Linux, `~/Library/Caches/...` on macOS,
 * `%LOCALAPPDATA%\xray-curator\thumbnails` on Windows. Never inside a dataset or a project tree.
 */
export function userThumbnailCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  const base =
    platform === 'win32' ? env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local')
    : platform === 'darwin' ? path.join(home, 'Library', 'Caches')
    : env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME
    : path.join(home, '.cache');
  return path.join(base, 'xray-curator', 'thumbnails');
}
