// The label journal's files. Each reader appends to their own `journals/<reader>.jsonl`, so two people (two VS Code
// windows, a shared folder, a git repository of journals) never write one file; `journal.jsonl`, the single file of
// everyone's edits from before, is still read and never written. Reading merges all of them by entry time.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseJournalLine } from './journalEntry';
import type { JournalEntry } from './journalEntry';
import { stateDirOf } from './userCache';

/** The journal written before readers had their own files (relative to the state folder). */
export const JOURNAL_FILE_NAME = 'journal.jsonl';
/** The folder of the readers' own journal files (relative to the state folder). */
export const READER_JOURNALS_DIR = 'journals';

const SAFE_BYTE = /^[A-Za-z0-9._-]$/;

/**
 * A reader's journal file, relative to the state folder: `[A-Za-z0-9._-]` kept, every other UTF-8 byte (`%` too)
 * percent-encoded, so two names never give one file. (On a case-insensitive disk `Ann` and `ann` do share one; they
 * then take turns through its lock, and every entry still names its user.)
 */
export function readerJournalFile(reader: string): string {
  const name = [...Buffer.from(reader, 'utf8')]
    .map((byte) => (SAFE_BYTE.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  return `${READER_JOURNALS_DIR}/${name}.jsonl`;
}

export interface JournalContents {
  /** Every file's entries, merged in time order. */
  entries: JournalEntry[];
  /** Lines skipped (torn by a crash, damaged), with their file and line numbers. */
  warnings: string[];
}

/** Reads every journal file of a dataset without locking (readers never block writers); no file is an empty journal. */
export async function readJournal(root: string): Promise<JournalContents> {
  const files = new JournalFiles(stateDirOf(root));
  const { warnings } = await files.read();
  return { entries: files.merged(), warnings };
}

interface FileRead {
  /** Inode and birth time: a compaction replaces the file, which is then read again from the start. */
  id: string;
  /** Bytes of complete lines read, the point to continue from. */
  length: number;
  /** Complete lines read (for line numbers in later warnings). */
  lines: number;
  entries: JournalEntry[];
}

export interface FilesRead {
  /** Entries read for the first time, file by file. */
  added: JournalEntry[];
  /** A file was replaced or removed: entries read before may be gone or read again. */
  replaced: boolean;
  warnings: string[];
}

/** What has been read of each journal file of one state folder; `read` continues where the last call stopped. */
export class JournalFiles {
  private readonly files = new Map<string, FileRead>();
  private forgotten = false;

  constructor(readonly stateDir: string) {}

  /** Bytes of complete lines read so far from `file` (relative to the state folder). */
  lengthRead(file: string): number {
    return this.files.get(file)?.length ?? 0;
  }

  /** The entries read from `file`, in its order. */
  entriesOf(file: string): readonly JournalEntry[] {
    return this.files.get(file)?.entries ?? [];
  }

  /** Forgets what was read of `file` (this process rewrote it): the next read starts it over, as a replaced file. */
  forget(file: string): void {
    if (this.files.delete(file)) this.forgotten = true;
  }

  /** Reads what was appended to every file since the last call; a replaced (compacted) file is read again whole. */
  async read(): Promise<FilesRead> {
    const names = await this.list();
    const result: FilesRead = { added: [], replaced: this.forgotten, warnings: [] };
    this.forgotten = false;
    for (const gone of [...this.files.keys()].filter((name) => !names.includes(name))) {
      this.files.delete(gone);
      result.replaced = true;
    }
    for (const name of names) await this.readFile(name, result);
    return result;
  }

  /**
   * Every file's entries in time order: a merge of the files (each kept in its own order) taking the earliest `time`
   * next, the file name breaking ties; so every reader of the same files gets the same sequence.
   */
  merged(): JournalEntry[] {
    const lists = [...this.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, read]) => read.entries);
    const times = lists.map((entries) => entries.map((entry) => timeOf(entry.time)));
    const next = lists.map(() => 0);
    const merged: JournalEntry[] = [];
    for (;;) {
      let best = -1;
      for (let f = 0; f < lists.length; f++) {
        if (next[f] < lists[f].length && (best < 0 || times[f][next[f]] < times[best][next[best]])) best = f;
      }
      if (best < 0) return merged;
      merged.push(lists[best][next[best]++]);
    }
  }

  private async list(): Promise<string[]> {
    const names = [JOURNAL_FILE_NAME];
    try {
      const found = await fs.readdir(path.join(this.stateDir, READER_JOURNALS_DIR));
      for (const name of found) if (name.endsWith('.jsonl')) names.push(`${READER_JOURNALS_DIR}/${name}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return names;
  }

  private async readFile(name: string, result: FilesRead): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path.join(this.stateDir, name), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (this.files.delete(name)) result.replaced = true;
      return;
    }
    try {
      const stat = await handle.stat();
      const id = `${stat.ino}:${stat.birthtimeMs}`;
      let known = this.files.get(name);
      if (known && (known.id !== id || stat.size < known.length)) {
        known = undefined;
        result.replaced = true;
      }
      const from = known?.length ?? 0;
      const bytes = Buffer.alloc(stat.size - from);
      await handle.read(bytes, 0, bytes.length, from);
      const parsed = parseJournalBytes(bytes, (known?.lines ?? 0) + 1, name === JOURNAL_FILE_NAME ? 'journal' : `journal ${name}`);
      const read: FileRead = known ?? { id, length: 0, lines: 0, entries: [] };
      read.length += parsed.length;
      read.lines += parsed.lines;
      read.entries.push(...parsed.entries);
      this.files.set(name, read);
      result.added.push(...parsed.entries);
      result.warnings.push(...parsed.warnings);
    } finally {
      await handle.close();
    }
  }
}

/** An entry's time in ms; a time that does not parse (a hand-written line) sorts first. */
export function timeOf(time: string): number {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? -Infinity : ms;
}

function parseJournalBytes(content: Buffer, firstLine: number, label: string): { entries: JournalEntry[]; warnings: string[]; length: number; lines: number } {
  const entries: JournalEntry[] = [];
  const warnings: string[] = [];
  const end = content.lastIndexOf(0x0a) + 1;
  const lines = content.subarray(0, end).toString('utf8').split('\n');
  lines.pop();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      entries.push(parseJournalLine(line));
    } catch (error) {
      warnings.push(`${label} line ${firstLine + index} skipped: ${(error as Error).message}`);
    }
  });
  if (end < content.length) {
    warnings.push(`${label} line ${firstLine + lines.length} skipped: incomplete last line (${content.length - end} bytes, torn by a crash?)`);
  }
  return { entries, warnings, length: end, lines: lines.length };
}
