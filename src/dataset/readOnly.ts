import { statSync } from 'node:fs';
import * as fs from 'node:fs/promises';

/**
 * True when nobody may write to the dataset folder by its mode bits (e.g. `dr-xr-xr-x`). Checked on the bits,
 * not with access(2), because a process running as root passes access(2) and would still write into a
 * folder that its owner marked read-only (shared reference data).
 */
export async function isReadOnlyFolder(folder: string): Promise<boolean> {
  return noWriteBits((await fs.stat(folder)).mode);
}

export function isReadOnlyFolderSync(folder: string): boolean {
  return noWriteBits(statSync(folder).mode);
}

function noWriteBits(mode: number): boolean {
  return (mode & 0o222) === 0;
}
