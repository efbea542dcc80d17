// Tests never write into ../shared, whether it is writable or read-only: a test that opens a shared folder as a
// dataset (which writes its state folder, hash cache and models) opens a mirror of it in the temp folder instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Links `source` at `target` (no bytes copied), or copies it where links cannot cross file systems. */
export function linkOrCopy(source: string, target: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  try {
    fs.linkSync(source, target);
  } catch {
    fs.copyFileSync(source, target);
  }
}

export interface Mirror {
  /** The mirror's root: open this as the dataset. */
  root: string;
  /** Removes the mirror (making it writable again first when it was made read-only). */
  remove(): void;
}

/**
 * A mirror of the folder `source` (files hard-linked, the folders new; a dataset's own `.xray-curator/` left out).
 * `readOnly` takes the write bits off every mirrored folder, so the mirror behaves like a reference share: the tool
 * must then keep its state in the stand-in folder in the user cache.
 */
export function mirrorFolder(source: string, options: { readOnly?: boolean } = {}): Mirror {
  if (!fs.existsSync(source)) throw new Error(`shared data missing: ${source} (set XRAY_SHARED to the folder that holds data/ and models/)`);
  // The mirror keeps the folder's own name (the gallery and the screenshots show it), inside a fresh temp folder.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-mirror-'));
  const root = path.join(parent, path.basename(source));
  fs.mkdirSync(root);
  const folders = [root];
  const walk = (from: string, to: string): void => {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.name === '.xray-curator') continue;
      const [src, dst] = [path.join(from, entry.name), path.join(to, entry.name)];
      if (entry.isDirectory()) {
        fs.mkdirSync(dst);
        folders.push(dst);
        walk(src, dst);
      } else if (entry.isFile()) {
        linkOrCopy(src, dst);
      }
    }
  };
  walk(source, root);
  if (options.readOnly) for (const folder of folders) fs.chmodSync(folder, 0o555);
  return {
    root,
    remove: () => {
      for (const folder of folders) if (fs.existsSync(folder)) fs.chmodSync(folder, 0o755);
      // A gallery just closed may still be finishing a save into the state folder: a file that appears while the tree
      // is removed makes rmdir fail with ENOTEMPTY. Its scan's process ends at most 5 s after the gallery closed
      // (scanInWorker's grace period), and the retries outlast that.
      fs.rmSync(parent, { recursive: true, force: true, maxRetries: 60, retryDelay: 100 });
    },
  };
}
