import * as fs from 'node:fs/promises';

export interface LockOptions {
  /** Give up after this long, in ms (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is taken over even if its process seems alive (default 30 s: no holder keeps it that long). */
  staleMs?: number;
}

const UNREADABLE_LOCK_MS = 2_000;

interface LockOwner {
  pid: number;
  time: number;
  token: string;
}

/**
 * Runs `work` while holding an exclusive lock file (created with O_EXCL), so processes sharing a dataset
 * (two VS Code windows, a script) take turns. A lock left by a killed process is detected by its pid and
 * age and taken over.
 * Not proper-lockfile: it sees a dead holder only by a stale mtime (≥ 2 s; 2.9 s after a SIGKILL, here 7 ms).
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const owner: LockOwner = { pid: process.pid, time: Date.now(), token: Math.random().toString(36).slice(2) };
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, owner)) break;
    const holder = await readOwner(lockPath);
    if (holder && isAbandoned(holder, staleMs)) {
      await takeOver(lockPath, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${lockPath}${holder ? ` (held by process ${holder.pid})` : ''}`);
    }
    await sleep(Math.min(50, 2 + attempt) + Math.random() * 5);
  }
  try {
    return await work();
  } finally {
    const holder = await readOwner(lockPath);
    if (holder?.token === owner.token) await fs.rm(lockPath, { force: true });
  }
}

/**
 * Creates the lock complete or not at all: the owner is written to a private file that is then hard-linked
 * to the lock name (link fails if the name exists), so a kill never leaves an empty lock behind.
 */
async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  const mine = `${lockPath}.${owner.pid}.${owner.token}`;
  await fs.writeFile(mine, JSON.stringify(owner));
  try {
    await fs.link(mine, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await fs.rm(mine, { force: true });
  }
}

/** The lock's owner; one that cannot be read (damaged by hand) counts as taken at the file's mtime. */
async function readOwner(lockPath: string): Promise<LockOwner | null> {
  let text: string;
  try {
    text = await fs.readFile(lockPath, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.time === 'number' && typeof parsed.token === 'string') return parsed as LockOwner;
  } catch {
    // Falls through to the unreadable case.
  }
  const stat = await fs.stat(lockPath).catch(() => null);
  return stat ? { pid: 0, time: stat.mtimeMs, token: `unreadable:${text}` } : null;
}

function isAbandoned(holder: LockOwner, staleMs: number): boolean {
  if (Date.now() - holder.time > staleMs) return true;
  // An unreadable lock (damaged by hand) has no pid to check: a short quiet time is enough.
  if (holder.pid <= 0) return Date.now() - holder.time > UNREADABLE_LOCK_MS;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes an abandoned lock only if it is still the one we judged abandoned (another process may have replaced it). */
async function takeOver(lockPath: string, abandoned: LockOwner): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}.stale`;
  try {
    await fs.rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readOwner(aside);
  if (moved && moved.token !== abandoned.token) {
    // We moved a live lock: put it back unless someone created a new one meanwhile.
    await fs.link(aside, lockPath).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
