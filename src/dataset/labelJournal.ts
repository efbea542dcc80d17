import { randomUUID } from 'node:crypto';
import { mkdirSync, watch } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomically } from './atomicFile';
import { withFileLock } from './fileLock';
import { applyEntry, entriesToKeep, FINDING_STATES, JOURNAL_VERSION, replayJournal } from './journalEntry';
import { JournalFiles, readerJournalFile, timeOf } from './journalFiles';
import type { FindingState } from './multilabel/types';
import type { JournalEntry, JournalKind, JournalState } from './journalEntry';
import { performMoves } from './journalMoves';
import { stateDirOf } from './userCache';
import { consensusState, READERS_FILE_NAME, readReadersConfig } from './readers/readersConfig';
import type { ReadersConfig } from './readers/readersConfig';
import type { DatasetItem } from './types';

/** How far ahead of this clock an entry's time may be and still be followed by `stamp` (see there). */
const MAX_CLOCK_LEAD_MS = 60 * 60 * 1000;

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
  /** relabel, finding: the adjudicator's decision and its reason (see `JournalEntry.adjudication`). */
  adjudication?: { reason: string };
}

/**
 * The label journal of a dataset: every relabel, flag, unflag, note and move is one appended, fsynced JSON
 * line in the user's own file (`journalFiles.ts`); the state is every reader's files merged in time order. Appends
 * happen under the user's lock file and first merge what others appended, so two VS Code windows (or a window and a
 * script) can edit one dataset. Undo and redo write reversing entries, so the files stay append-only; they undo
 * this session's own actions.
 */
export class LabelJournal {
  /** This user's file, relative to the state folder. */
  private readonly ownFile: string;
  private readonly files: JournalFiles;
  private entryList: JournalEntry[] = [];
  private currentState: JournalState = replayJournal([]);
  /** The latest entry time read, in ms: new entries are stamped after it (see `stamp`). */
  private latestTime = -Infinity;
  private readersConfig: ReadersConfig | null = null;
  /** `state` under the rule, made when asked after a change. */
  private consensus: JournalState | undefined;
  private reading: Promise<unknown> = Promise.resolve();
  private readonly undoStack: JournalEntry[][] = [];
  private readonly redoStack: JournalEntry[][] = [];
  private readonly listeners = new Set<(added: readonly JournalEntry[]) => void>();
  private readonly readersListeners = new Set<() => void>();
  /** Warnings about skipped lines (a torn last line after a crash, damaged lines). */
  readonly warnings: string[] = [];

  private constructor(readonly root: string, readonly user: string) {
    this.files = new JournalFiles(stateDirOf(root));
    this.ownFile = readerJournalFile(user);
  }

  /** The absolute path of this user's journal file (its lock is beside it, `.lock` for `.jsonl`). */
  get file(): string {
    return path.join(this.files.stateDir, this.ownFile);
  }

  private get lockFile(): string {
    return this.file.replace(/\.jsonl$/, '.lock');
  }

  static async open(root: string, options: { user?: string } = {}): Promise<LabelJournal> {
    const journal = new LabelJournal(path.resolve(root), options.user ?? currentUser());
    await journal.readReaders();
    await journal.refresh();
    return journal;
  }

  get entries(): readonly JournalEntry[] {
    return this.entryList;
  }

  /**
   * The journal's state; with a consensus rule (`readers.json`, read at open and again when it changes) its labels
   * are the readers' consensus.
   */
  get state(): JournalState {
    if (!this.readersConfig) return this.currentState;
    return (this.consensus ??= consensusState(this.currentState, this.entryList, this.readersConfig.rule).state);
  }

  /** The dataset's consensus rule and reading study (`readers.json`), or null without one. */
  get readers(): ReadersConfig | null {
    return this.readersConfig;
  }

  /** Listens for a changed `readers.json` (seen by `watchForOtherWriters`); returns the unsubscribe function. */
  onDidChangeReaders(listener: () => void): () => void {
    this.readersListeners.add(listener);
    return () => this.readersListeners.delete(listener);
  }

  /** Reads `readers.json` again (a study set up or changed, here or in another window). */
  async readReaders(): Promise<void> {
    // A damaged readers.json: openDataset warns about it; the journal then works as without one.
    this.readersConfig = await readReadersConfig(this.root).catch(() => null);
    this.consensus = undefined;
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
      action.map((entry) => ({ ...entry, id: randomUUID(), group, time: this.stamp(), user: this.user, redoes: entry.id })),
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
    const { added, replaced, warnings } = await this.files.read();
    this.warn(warnings);
    if (added.length === 0 && !replaced) return [];
    const before = this.entryList;
    const merged = this.files.merged();
    this.consensus = undefined;
    for (const entry of added) this.latestTime = Math.max(this.latestTime, timeOf(entry.time));
    // New entries that sort after all known ones apply on top; one that sorts earlier (another machine's clock
    // behind, a journal copied in) changes what came after it, so the state is replayed.
    const onTop = !replaced && merged.length === before.length + added.length && before.every((entry, i) => merged[i] === entry);
    this.entryList = merged;
    if (onTop) {
      const appended = merged.slice(before.length);
      for (const entry of appended) applyEntry(this.currentState, entry);
      this.emit(appended);
      return appended;
    }
    this.currentState = replayJournal(merged);
    // After a file was replaced (compacted), everything was read again: listeners hear of every entry.
    const heard = replaced ? merged : added;
    this.emit(heard);
    return heard;
  }

  /**
   * The time of a new entry: now, or just after the latest entry read when this clock is behind it (two machines),
   * so an edit made after seeing another's sorts after it. A time far ahead (a wrong clock) drags nothing with it.
   */
  private stamp(): string {
    const now = Date.now();
    const after = this.latestTime + 1;
    return new Date(after > now && after - now < MAX_CLOCK_LEAD_MS ? after : now).toISOString();
  }

  /**
   * Rewrites this user's file keeping only what the state and their readings need (see `entriesToKeep`; others'
   * moves take part so item ids line up, others' entries are never dropped), through a new file and an atomic
   * rename, under the lock. Other processes notice the new file and reload it.
   */
  async compact(): Promise<{ before: number; after: number }> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    return withFileLock(this.lockFile, async () => {
      await this.refresh();
      const own = new Set(this.files.entriesOf(this.ownFile));
      const kept = entriesToKeep(this.entryList.filter((entry) => own.has(entry) || entry.kind === 'move')).filter((entry) => own.has(entry));
      await writeAtomically(this.file, kept.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      await syncFolder(path.dirname(this.file));
      this.files.forget(this.ownFile);
      this.warnings.length = 0;
      await this.refresh();
      return { before: own.size, after: kept.length };
    });
  }

  /**
   * Watches every journal file (the old shared one, each reader's, readers who start later) for appends by other
   * processes and merges them; returns the stop function.
   */
  watchForOtherWriters(): () => void {
    let timer: NodeJS.Timeout | undefined;
    const watchers: ReturnType<typeof watch>[] = [];
    let readersTimer: NodeJS.Timeout | undefined;
    const changed = (name: string | null): void => {
      if (name === READERS_FILE_NAME) {
        clearTimeout(readersTimer);
        readersTimer = setTimeout(() => void this.readReaders().then(() => this.readersListeners.forEach((listener) => listener())), 50);
        return;
      }
      if (name !== null && !name.endsWith('.jsonl')) return;
      clearTimeout(timer);
      timer = setTimeout(() => void this.refresh().catch(() => undefined), 50);
    };
    try {
      // The folders are created now so a journal another window starts later is seen too.
      const readersFolder = path.dirname(this.file);
      mkdirSync(readersFolder, { recursive: true });
      watchers.push(watch(this.files.stateDir, (_event, name) => changed(name)));
      watchers.push(watch(readersFolder, (_event, name) => changed(name)));
    } catch {
      // The state folder cannot be created (a full or locked disk): nothing to watch, edits will report it.
      for (const watcher of watchers) watcher.close();
      return () => undefined;
    }
    return () => {
      clearTimeout(timer);
      clearTimeout(readersTimer);
      for (const watcher of watchers) watcher.close();
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
      const separator = stat.size > this.files.lengthRead(this.ownFile) ? '\n' : '';
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
      time: this.stamp(),
      user: this.user,
      kind: edit.kind,
      item: edit.item.id,
      hash: edit.item.hash,
      ...(edit.kind === 'finding' ? { finding: edit.finding } : {}),
      old: oldValue(),
      new: newValue,
      ...(edit.shown ? { model: edit.shown.model, confidence: edit.shown.confidence } : {}),
      ...((edit.kind === 'relabel' || edit.kind === 'finding') && edit.adjudication ? { adjudication: { reason: edit.adjudication.reason } } : {}),
    };
  }

  private reversal(entry: JournalEntry, group: string, link: { undoes: string }): JournalEntry {
    const base = { ...entry, id: randomUUID(), group, time: this.stamp(), user: this.user, ...link };
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
