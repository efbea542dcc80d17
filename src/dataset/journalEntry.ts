import { classNameProblem } from './manifest';
import type { FindingState } from './multilabel/types';

/**
 * Version of the journal line format; every line carries it. 2 added `finding` entries (one finding of a multi-label
 * item set positive, negative, uncertain or unmentioned); 3 added `adjudication` (a relabel or a finding that settles
 * the readers' disagreement, with its reason). Older lines are read as they were written.
 */
export const JOURNAL_VERSION = 3;
const READABLE_VERSIONS: ReadonlySet<unknown> = new Set([1, 2, 3]);

export type JournalKind = 'relabel' | 'flag' | 'unflag' | 'note' | 'move' | 'finding';

export const FINDING_STATES: readonly FindingState[] = ['positive', 'negative', 'uncertain', 'unmentioned'];

/** One appended line of a journal file (`<dataset>/.xray-curator/journals/<reader>.jsonl`, see `journalFiles.ts`). */
export interface JournalEntry {
  version: 1 | typeof JOURNAL_VERSION;
  /** Unique id of this entry. */
  id: string;
  /** Entries written together (one user action, one "apply to folders") share a group id. */
  group: string;
  time: string;
  user: string;
  kind: JournalKind;
  /** The item's id when the edit was made. */
  item: string;
  hash: string | null;
  /** relabel: labels (null = unlabelled); flag/unflag: flagged before/after; note: texts; move: item ids; finding: states. */
  old: string | boolean | null;
  new: string | boolean | null;
  /** finding entries: the finding's name (e.g. `Pneumonia`). */
  finding?: string;
  /** The model version and its confidence shown to the user when the edit was made (for a finding: its probability). */
  model?: string;
  confidence?: number;
  /** Set on entries written by undo / redo: the entry they reverse or repeat. */
  undoes?: string;
  redoes?: string;
  /**
   * relabel and finding entries: the adjudicator's decision on an item (or one of its findings) its readers disagree
   * about, and why. It is nobody's reading (agreement leaves it out) and it settles the item (the finding) whatever the
   * consensus rule says.
   */
  adjudication?: { reason: string };
}

/** What the journal says about one item, on top of its source label. */
export interface ItemOverride {
  /** Present when relabelled; null means "unlabelled". */
  label?: string | null;
  flagged?: boolean;
  note?: string;
  /** Findings set by the journal, by name (multi-label items). */
  findings?: Record<string, FindingState>;
}

export interface JournalState {
  /** By current item id. */
  overrides: Map<string, ItemOverride>;
  /** Original item id → current item id, for files moved by "apply labels to folders". */
  moves: Map<string, string>;
}

const KINDS: ReadonlySet<string> = new Set(['relabel', 'flag', 'unflag', 'note', 'move', 'finding']);

/** Parses one journal line; throws the reason when it is not a valid entry. */
export function parseJournalLine(line: string): JournalEntry {
  const value = JSON.parse(line) as Partial<JournalEntry> | null;
  if (!value || typeof value !== 'object') throw new Error('not a JSON object');
  if (!READABLE_VERSIONS.has(value.version)) throw new Error(`unsupported version ${String(value.version)}`);
  if (typeof value.kind !== 'string' || !KINDS.has(value.kind)) throw new Error(`unknown kind ${String(value.kind)}`);
  for (const field of ['id', 'group', 'time', 'user', 'item'] as const) {
    if (typeof value[field] !== 'string') throw new Error(`missing ${field}`);
  }
  if (value.kind === 'move') {
    if (typeof value.old !== 'string' || typeof value.new !== 'string') throw new Error('move without old and new ids');
    for (const id of [value.old, value.new]) if (!isPlainItemId(id)) throw new Error(`move with an unsafe item id: ${id}`);
  }
  if (value.kind === 'finding') {
    if (typeof value.finding !== 'string' || value.finding === '') throw new Error('finding entry without a finding name');
    if (!FINDING_STATES.includes(value.new as FindingState)) throw new Error(`finding entry with an unknown state ${String(value.new)}`);
  }
  if (value.adjudication !== undefined && ((value.kind !== 'relabel' && value.kind !== 'finding') || typeof value.adjudication?.reason !== 'string')) {
    throw new Error('an adjudication is a relabel or a finding with a reason');
  }
  if (value.kind === 'relabel' && typeof value.new === 'string') {
    // Labels become folder names on "apply labels to folders": a hand-edited line must not smuggle in a path.
    const problem = classNameProblem(value.new);
    if (problem) throw new Error(problem);
  }
  return value as JournalEntry;
}

/** A relative '/'-separated path with no empty, '.' or '..' segment. */
function isPlainItemId(id: string): boolean {
  return id !== '' && !id.includes('\\') && !id.includes('\0') && id.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Replays entries in order to the state they leave. */
export function replayJournal(entries: readonly JournalEntry[]): JournalState {
  const state: JournalState = { overrides: new Map(), moves: new Map() };
  for (const entry of entries) applyEntry(state, entry);
  return state;
}

export function applyEntry(state: JournalState, entry: JournalEntry): void {
  const override = (id: string): ItemOverride => {
    let found = state.overrides.get(id);
    if (!found) state.overrides.set(id, (found = {}));
    return found;
  };
  switch (entry.kind) {
    case 'relabel':
      override(entry.item).label = typeof entry.new === 'string' ? entry.new : null;
      break;
    case 'flag':
    case 'unflag':
      override(entry.item).flagged = entry.kind === 'flag';
      break;
    case 'note':
      override(entry.item).note = typeof entry.new === 'string' ? entry.new : '';
      break;
    case 'finding': {
      const found = override(entry.item);
      (found.findings ??= {})[entry.finding!] = entry.new as FindingState;
      break;
    }
    case 'move': {
      const from = entry.old as string;
      const to = entry.new as string;
      const carried = state.overrides.get(from);
      state.overrides.delete(from);
      if (carried) state.overrides.set(to, carried);
      let movedOriginal = false;
      for (const [original, current] of state.moves) {
        if (current === from) {
          state.moves.set(original, to);
          movedOriginal = true;
        }
      }
      if (!movedOriginal) state.moves.set(from, to);
      // A file moved back to where it started needs no mapping.
      for (const [original, current] of state.moves) if (original === current) state.moves.delete(original);
      break;
    }
  }
}

/**
 * The entries compaction keeps: every move (the manifest mapping needs them) and, per item and field, the
 * last entry that set it. Replaying the result gives the same state as replaying everything.
 */
export function entriesToKeep(entries: readonly JournalEntry[]): JournalEntry[] {
  const lastWriter = new Map<string, Map<string, JournalEntry>>();
  const keep = new Set<JournalEntry>();
  for (const entry of entries) {
    if (entry.kind === 'move') {
      keep.add(entry);
      const carried = lastWriter.get(entry.old as string);
      lastWriter.delete(entry.old as string);
      if (carried) lastWriter.set(entry.new as string, carried);
      continue;
    }
    const field = entry.kind === 'relabel' ? 'label' : entry.kind === 'note' ? 'note' : entry.kind === 'finding' ? `finding:${entry.finding}` : 'flag';
    let writers = lastWriter.get(entry.item);
    if (!writers) lastWriter.set(entry.item, (writers = new Map()));
    writers.set(field, entry);
  }
  for (const writers of lastWriter.values()) for (const entry of writers.values()) keep.add(entry);
  return entries.filter((entry) => keep.has(entry));
}
