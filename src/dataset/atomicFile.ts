import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Writes through a temporary file, fsync and a rename, so readers never see half a file. `content` may come in
 * pieces: a file of 80 MB written from pieces never needs the whole of it as one string.
 */
export async function writeAtomically(target: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const handle = await fs.open(temporary, 'w');
    try {
      if (typeof content === 'string' || content instanceof Uint8Array) await handle.writeFile(content);
      else for (const piece of content) await handle.write(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
