// The per-dataset secret that turns DICOM patient and study identifiers into pseudonyms, so what the tool writes
// (caches, journals, scan reports, exports) groups a patient's images without naming the patient.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../atomicFile';
import { stateDirOf } from '../userCache';

export const SALT_FILE_NAME = 'dicom-salt';

/** The dataset's salt, or null when none was made yet (nothing pseudonymised so far). */
export async function readSalt(root: string): Promise<Buffer | null> {
  const text = await fs.readFile(saltFile(root), 'utf8').catch(() => null);
  return text && /^[0-9a-f]{64}\s*$/.test(text) ? Buffer.from(text.trim(), 'hex') : null;
}

/**
 * The dataset's salt, made on first use: 32 random bytes in `<state folder>/dicom-salt`. Made once and kept
 * (a link, unlike a rename, never replaces the file another process may have made meanwhile).
 */
export async function datasetSalt(root: string): Promise<Buffer> {
  const existing = await readSalt(root);
  if (existing) return existing;
  const target = saltFile(root);
  const draft = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.new`;
  await writeAtomically(draft, `${randomBytes(32).toString('hex')}\n`);
  try {
    await fs.link(draft, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
  const made = await readSalt(root);
  if (!made) throw new Error(`DICOM salt file is damaged: ${target} (delete it; patient pseudonyms then change)`);
  return made;
}

/** `dcm:` + 16 hex digits of HMAC-SHA256: the same value gives the same pseudonym within one dataset only. */
export function pseudonym(salt: Buffer, value: string): string {
  return `dcm:${createHmac('sha256', salt).update(value, 'utf8').digest('hex').slice(0, 16)}`;
}

/** Names a salt without revealing it, so a cache can tell that its pseudonyms came from another salt. */
export function saltId(salt: Buffer | null): string | null {
  return salt ? createHash('sha256').update(salt).update('salt-id').digest('hex').slice(0, 16) : null;
}

function saltFile(root: string): string {
  return path.join(stateDirOf(root), SALT_FILE_NAME);
}
