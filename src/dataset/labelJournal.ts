import { randomUUID } from 'node:crypto';
import { mkdirSync, watch } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomically } from './atomicFile';
import { withFileLock } from './fileLock';
import { applyEntry, entriesToKeep, FINDING_STATES, JOURNAL_VERSION, parseJournalLine, replayJournal } from './journalEntry';
import type { FindingState } from './multilabel/types';
import type { JournalEntry, JournalKind, JournalState } from './journalEntry';
import { resolveInside } from './safePath';
import { stateDirOf } from './userCache';
import type { DatasetItem } from './types';

export const JOURNAL_FILE_NAME = 'journal.jsonl';
const LOCK_FILE_NAME = 'journal.lock';

/** The item fields an edit needs. */
export type JournalItem = Pick<DatasetItem, 'id' | 'hash' | 'sourceLabel' | 'sourceFindings'>;

/** The model prediction the user saw when making an edit. */
export interface ShownPrediction {
  model: string;
  confidence: number;
}

/** An edit before the journal gives it ids, time, user and its old value. */
export interface JournalEdit {
  kind: JournalKind;
  item: JournalItem;
  /** relabel: the class (null = unlabelled); note: the text; move: the new item id; finding: the state; flag/unflag: unused. */
  value?: string | null;
  /** finding edits: which finding. */
  finding?: string;
  shown?: ShownPrediction;
}

export interface JournalContents {
  entries: JournalEntry[];
  /** Lines skipped (torn by a crash, damaged), with their line numbers. */
  warnings: string[];
  /** Bytes of complete lines read, the point to continue reading from. */
  length: number;
  /** Complete lines read (for line numbers in later warnings). */
  lines: number;
}

/** Reads a journal file without locking (readers never block writers); a missing file is an empty journal. */
export async function readJournal(root: string): Promise<JournalContents> {
  const file = path.join(stateDirOf(root), JOURNAL_FILE_NAME);
  let content: Buffer;
  try {
    content = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], warnings: [], length: 0, lines: 0 };
    throw error;
  }
  return parseJournalBytes(content, 1);
}

/**
 * The label journal of a dataset: every relabel, flag, unflag, note and move is one appended, fsynced JSON
 * line. Appends happen under a lock file and first merge what other processes appended, so two VS Code
 * windows (or a window and a script) can edit one dataset. Undo and redo write reversing entries, so the
 * file stays append-only; they undo this session's own actions.
 */
export class LabelJournal {
  private readonly file: string;
  private readonly lockFile: string;
  private entryList: JournalEntry[] = [];
  private currentState: JournalState = replayJournal([]);
  private readLength = 0;
  private lineCount = 0;
  /** Inode and birth time of the file read: a compaction by another process replaces the file. */
  private fileId: string | null = null;
  private reading: Promise<unknown> = Promise.resolve();
  private readonly undoStack: JournalEntry[][] = [];
  private readonly redoStack: JournalEntry[][] = [];
  private readonly listeners = new Set<(added: readonly JournalEntry[]) => void>();
  /** Warnings about skipped lines (a torn last line after a crash, damaged lines). */
  readonly warnings: string[] = [];

  private constructor(readonly root: string, readonly user: string) {
    const stateDir = stateDirOf(root);
    this.file = path.join(stateDir, JOURNAL_FILE_NAME);
    this.lockFile = path.join(stateDir, LOCK_FILE_NAME);
  }

  static async open(root: string, options: { user?: string } = {}): Promise<LabelJournal> {
    const journal = new LabelJournal(path.resolve(root), options.user ?? currentUser());
    await journal.refresh();
    return journal;
  }

  get entries(): readonly JournalEntry[] {
    return this.entryList;
  }

  get state(): JournalState {
    return this.currentState;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /**
   * Listens for entries appended by this or another process (after a reload caused by another process's
   * compaction: all entries, since the state was rebuilt); returns the unsubscribe function.
   */
  onDidChange(listener: (added: readonly JournalEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  relabel(item: JournalItem, label: string | null, shown?: ShownPrediction): Promise<JournalEntry[]> {
    return this.record([{ kind: 'relabel', item, value: label, shown }]);
  }

  flag(item: JournalItem, shown?: ShownPrediction): Promise<JournalEntry[]> {
    return this.record([{ kind: 'flag', item, shown }]);
  }

  unflag(item: JournalItem, shown?: ShownPrediction): Promise<JournalEntry[]> {
    return this.record([{ kind: 'unflag', item, shown }]);
  }

  note(item: JournalItem, text: string): Promise<JournalEntry[]> {
    return this.record([{ kind: 'note', item, value: text }]);
  }

  /** Sets one finding of a multi-label item; `shown` carries the model's probability for that finding. */
  setFinding(item: JournalItem, finding: string, state: FindingState, shown?: ShownPrediction): Promise<JournalEntry[]> {
    return this.record([{ kind: 'finding', item, finding, value: state, shown }]);
  }

  /**
   * Appends edits as one group (one undo step) in a single fsynced write and returns the entries once they
   * are durable. Moves rename the file first and are journalled after, so a crash in between leaves a moved
   * file without its record (it then takes its label from its new folder) rather than a record of a move
   * that never happened.
   */
  async record(edits: readonly JournalEdit[]): Promise<JournalEntry[]> {
    const { entries, failure } = await this.append((state, group) => edits.map((edit) => this.entryFor(edit, state, group)));
    if (entries.length > 0) {
      this.undoStack.push(entries);
      this.redoStack.length = 0;
    }
    if (failure) throw failure;
    return entries;
  }

  /** Reverses this session's last action (all its entries); returns the reversing entries. */
  async undo(): Promise<JournalEntry[]> {
    const action = this.undoStack.at(-1);
    if (!action) return [];
    const { entries, failure } = await this.append((_state, group) =>
      [...action].reverse().map((entry) => this.reversal(entry, group, { undoes: entry.id })),
    );
    if (failure) throw failure;
    this.redoStack.push(action);
    this.undoStack.pop();
    return entries;
  }

  /** Repeats the last undone action; returns the repeating entries. */
  async redo(): Promise<JournalEntry[]> {
    const action = this.redoStack.at(-1);
    if (!action) return [];
    const { entries, failure } = await this.append((_state, group) =>
      action.map((entry) => ({ ...entry, id: randomUUID(), group, time: new Date().toISOString(), user: this.user, redoes: entry.id })),
    );
    if (failure) throw failure;
    this.undoStack.push(entries);
    this.redoStack.pop();
    return entries;
  }

  /** Reads entries other processes appended (or reloads after another process compacted). */
  refresh(): Promise<readonly JournalEntry[]> {
    // One read at a time: two overlapping reads from the same offset would add the same entries twice.
    const run = this.reading.then(() => this.readNewEntries());
    this.reading = run.catch(() => undefined);
    return run;
  }

  private async readNewEntries(): Promise<readonly JournalEntry[]> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let added: JournalEntry[];
    try {
      const stat = await handle.stat();
      const fileId = `${stat.ino}:${stat.birthtimeMs}`;
      if (fileId !== this.fileId || stat.size < this.readLength) {
        // First read, or the file was replaced by a compaction: start over.
        const contents = parseJournalBytes(await handle.readFile(), 1);
        this.entryList = contents.entries;
        this.currentState = replayJournal(contents.entries);
        this.readLength = contents.length;
        this.lineCount = contents.lines;
        this.fileId = fileId;
        this.warn(contents.warnings);
        added = contents.entries;
      } else {
        const tail = Buffer.alloc(stat.size - this.readLength);
        await handle.read(tail, 0, tail.length, this.readLength);
        const contents = parseJournalBytes(tail, this.lineCount + 1);
        for (const entry of contents.entries) applyEntry(this.currentState, entry);
        this.entryList.push(...contents.entries);
        this.readLength += contents.length;
        this.lineCount += contents.lines;
        this.warn(contents.warnings);
        added = contents.entries;
      }
    } finally {
      await handle.close();
    }
    if (added.length > 0) this.emit(added);
    return added;
  }

  /**
   * Rewrites the journal keeping only what the current state needs (see `entriesToKeep`), through a new file
   * and an atomic rename, under the lock. Other processes notice the new file and reload it.
   */
  async compact(): Promise<{ before: number; after: number }> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    return withFileLock(this.lockFile, async () => {
      await this.refresh();
      const kept = entriesToKeep(this.entryList);
      const text = kept.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      await writeAtomically(this.file, text);
      await syncFolder(path.dirname(this.file));
      const before = this.entryList.length;
      this.fileId = null;
      this.readLength = 0;
      this.warnings.length = 0;
      await this.refresh();
      return { before, after: kept.length };
    });
  }

  /** Watches the journal file for appends by other processes and merges them; returns the stop function. */
  watchForOtherWriters(): () => void {
    let timer: NodeJS.Timeout | undefined;
    let watcher: ReturnType<typeof watch>;
    const folder = path.dirname(this.file);
    try {
      // The state folder is created now so a journal another window starts later is seen too.
      mkdirSync(folder, { recursive: true });
      watcher = watch(folder, (_event, name) => {
        if (name !== JOURNAL_FILE_NAME) return;
        clearTimeout(timer);
        timer = setTimeout(() => void this.refresh().catch(() => undefined), 50);
      });
    } catch {
      // The state folder cannot be created (a full or locked disk): nothing to watch, edits will report it.
      return () => undefined;
    }
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }

  /** Under the lock: merges others' entries, builds ours, performs moves, appends what happened. */
  private async append(build: (state: JournalState, group: string) => JournalEntry[]): Promise<{ entries: JournalEntry[]; failure?: Error }> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    return withFileLock(this.lockFile, async () => {
      await this.refresh();
      const built = build(this.currentState, randomUUID());
      const { done: entries, failure } = await performMoves(this.root, built);
      if (entries.length > 0) await this.write(entries);
      return { entries, failure };
    });
  }

  private async write(entries: readonly JournalEntry[]): Promise<void> {
    const handle = await fs.open(this.file, 'a');
    try {
      const stat = await handle.stat();
      // A torn last line (crash mid-write) stays a separate, skipped line instead of swallowing ours.
      const separator = stat.size > this.readLength ? '\n' : '';
      const text = separator + entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      await handle.write(text, null, 'utf8');
      await handle.sync();
      // A journal created just now also needs its folder entry on disk.
      if (stat.size === 0) await syncFolder(path.dirname(this.file));
    } finally {
      await handle.close();
    }
    await this.refresh();
  }

  private entryFor(edit: JournalEdit, state: JournalState, group: string): JournalEntry {
    const override = state.overrides.get(edit.item.id);
    const oldValue = (): string | boolean | null => {
      switch (edit.kind) {
        case 'relabel':
          return override?.label !== undefined ? override.label : edit.item.sourceLabel;
        case 'flag':
        case 'unflag':
          return override?.flagged ?? false;
        case 'note':
          return override?.note ?? null;
        case 'move':
          return edit.item.id;
        case 'finding':
          return override?.findings?.[edit.finding!] ?? edit.item.sourceFindings?.[edit.finding!] ?? 'unmentioned';
      }
    };
    const newValue = edit.kind === 'flag' ? true : edit.kind === 'unflag' ? false : edit.value ?? null;
    if (edit.kind === 'move' && typeof newValue !== 'string') throw new Error('a move needs the new item id');
    if (edit.kind === 'finding' && (!edit.finding || !FINDING_STATES.includes(newValue as FindingState))) throw new Error(`a finding edit needs a finding and one of ${FINDING_STATES.join(', ')}`);
    return {
      version: JOURNAL_VERSION,
      id: randomUUID(),
      group,
      time: new Date().toISOString(),
      user: this.user,
      kind: edit.kind,
      item: edit.item.id,
      hash: edit.item.hash,
      ...(edit.kind === 'finding' ? { finding: edit.finding } : {}),
      old: oldValue(),
      new: newValue,
      ...(edit.shown ? { model: edit.shown.model, confidence: edit.shown.confidence } : {}),
    };
  }

  private reversal(entry: JournalEntry, group: string, link: { undoes: string }): JournalEntry {
    const base = { ...entry, id: randomUUID(), group, time: new Date().toISOString(), user: this.user, ...link };
    delete base.redoes;
    switch (entry.kind) {
      case 'flag':
        return { ...base, kind: 'unflag', old: true, new: false };
      case 'unflag':
        return { ...base, kind: 'flag', old: false, new: true };
      case 'move':
        return { ...base, item: entry.new as string, old: entry.new, new: entry.old };
      default:
        return { ...base, old: entry.new, new: entry.old };
    }
  }

  /** Keeps each warning once: an incomplete last line is seen again on every read until it is completed. */
  private warn(warnings: readonly string[]): void {
    for (const warning of warnings) if (!this.warnings.includes(warning)) this.warnings.push(warning);
  }

  private emit(added: readonly JournalEntry[]): void {
    for (const listener of this.listeners) listener(added);
  }
}

/**
 * Performs the file renames of the move entries in order, before they are journalled. Stops at the first
 * failure and returns the entries up to it, so only moves that happened are recorded.
 */
async function performMoves(root: string, entries: JournalEntry[]): Promise<{ done: JournalEntry[]; failure?: Error }> {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.kind !== 'move') continue;
    try {
      await moveFile(root, entry.old as string, entry.new as string);
    } catch (error) {
      return { done: entries.slice(0, i), failure: new Error(`cannot move ${String(entry.old)} to ${String(entry.new)}: ${(error as Error).message}`) };
    }
  }
  return { done: entries };
}

/** Renames a file inside the dataset, refusing to overwrite; creates the target folder. */
async function moveFile(root: string, fromId: string, toId: string): Promise<void> {
  const from = resolveInside(root, fromId).absPath;
  const to = resolveInside(root, toId).absPath;
  await fs.mkdir(path.dirname(to), { recursive: true });
  // link + unlink instead of rename: fails rather than replacing a file already at the target.
  await fs.link(from, to);
  await fs.unlink(from);
}

function parseJournalBytes(content: Buffer, firstLine: number): JournalContents {
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
      warnings.push(`journal line ${firstLine + index} skipped: ${(error as Error).message}`);
    }
  });
  if (end < content.length) {
    warnings.push(`journal line ${firstLine + lines.length} skipped: incomplete last line (${content.length - end} bytes, torn by a crash?)`);
  }
  return { entries, warnings, length: end, lines: lines.length };
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
