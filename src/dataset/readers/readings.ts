// Every reader's own label of every item: from the label journal (each entry's `user` is its reader) and from
// imported multi-label files that keep one row per reader (VinDr-CXR's `rad_id`).
import type { JournalEntry } from '../journalEntry';
import { importMultiLabel } from '../multilabel/importMultiLabel';
import type { Findings, FindingState, MultiLabelOptions } from '../multilabel/types';
import type { Dataset } from '../types';

/** One reader's reading of one item: a class name, or (multi-label) the findings this reader stated. */
export interface Reading<V> {
  item: string;
  reader: string;
  value: V;
}

export type DatasetReadings =
  | { kind: 'single-label'; classes: string[]; readings: Reading<string>[]; decisions?: Decision[] }
  | { kind: 'multi-label'; findings: string[]; readings: Reading<Findings>[]; decisions?: FindingDecision[] };

/** An adjudicator's decision on an item its readers disagree about. */
export interface Decision {
  item: string;
  /** Who decided. */
  reader: string;
  label: string;
  reason: string;
  time: string;
}

/** An adjudicator's decision on one finding of a multi-label item. */
export interface FindingDecision extends Omit<Decision, 'label'> {
  finding: string;
  state: FindingState;
}

/** What the journal says each reader read, by the items' current ids, and the adjudicators' decisions. */
export interface JournalReadings {
  labels: Reading<string>[];
  findings: Reading<Findings>[];
  /** The latest decision per item that was not undone. */
  decisions: Decision[];
  /** The latest decision per item and finding that was not undone. */
  findingDecisions: FindingDecision[];
}

/**
 * Replays the journal per reader. A reader's reading of an item is their latest relabel (per finding: their latest
 * finding entry) that was not undone: an undo entry (`undoes`) withdraws the entry it reverses, so the reader's
 * earlier reading counts again; a redo entry (`redoes`) is a reading of its own. A relabel to "unlabelled" withdraws
 * the reader's reading. Moves ("apply labels to folders") carry the readings to the item's new id. The folder or
 * manifest label is nobody's reading, nor is an adjudicator's decision (`adjudication` entries): those are kept apart.
 */
export function journalReadings(entries: readonly JournalEntry[]): JournalReadings {
  // Live entries in journal order, each with a handle on its item's current id (moves rename the handle).
  const live = new Map<string, { entry: JournalEntry; item: { id: string } }>();
  const handles = new Map<string, { id: string }>();
  const handleOf = (id: string): { id: string } => {
    let handle = handles.get(id);
    if (!handle) handles.set(id, (handle = { id }));
    return handle;
  };
  for (const entry of entries) {
    if (entry.kind === 'move') {
      const handle = handleOf(entry.old as string);
      handles.delete(handle.id);
      handle.id = entry.new as string;
      handles.set(handle.id, handle);
    } else if (entry.undoes !== undefined) {
      live.delete(entry.undoes);
    } else if (entry.kind === 'relabel' || entry.kind === 'finding') {
      live.set(entry.id, { entry, item: handleOf(entry.item) });
    }
  }
  const labels = new Map<string, Reading<string>>();
  const findings = new Map<string, Reading<Findings>>();
  const decisions = new Map<string, Decision>();
  const findingDecisions = new Map<string, FindingDecision>();
  for (const { entry, item } of live.values()) {
    const key = JSON.stringify([item.id, entry.user]);
    if (entry.adjudication && entry.kind === 'finding') {
      const decision = { item: item.id, reader: entry.user, finding: entry.finding!, state: entry.new as FindingState, reason: entry.adjudication.reason, time: entry.time };
      findingDecisions.set(JSON.stringify([item.id, entry.finding]), decision);
    } else if (entry.adjudication) {
      if (typeof entry.new === 'string') decisions.set(item.id, { item: item.id, reader: entry.user, label: entry.new, reason: entry.adjudication.reason, time: entry.time });
      else decisions.delete(item.id);
    } else if (entry.kind === 'relabel') {
      if (typeof entry.new === 'string') labels.set(key, { item: item.id, reader: entry.user, value: entry.new });
      else labels.delete(key);
    } else {
      let reading = findings.get(key);
      if (!reading) findings.set(key, (reading = { item: item.id, reader: entry.user, value: {} }));
      reading.value[entry.finding!] = entry.new as Findings[string];
    }
  }
  return { labels: [...labels.values()], findings: [...findings.values()], decisions: [...decisions.values()], findingDecisions: [...findingDecisions.values()] };
}

/**
 * The readers a multi-label file keeps (VinDr-CXR: one row per `rad_id`), for the given item ids; empty for formats
 * with one row per image. `options` are those the dataset was opened with (default: detected from the headers).
 */
export async function importedReadings(root: string, itemIds: readonly string[], options: MultiLabelOptions = {}): Promise<Reading<Findings>[]> {
  const imported = await importMultiLabel(root, itemIds, options);
  if (!imported) return [];
  const readings: Reading<Findings>[] = [];
  for (const item of imported.items) {
    for (const [reader, value] of Object.entries(item.readers ?? {})) readings.push({ item: item.id, reader, value });
  }
  return readings;
}

/**
 * The readings of an opened dataset's usable items (no `error`). Multi-label: the imported readers, with a journal
 * reader's finding entries on top of their imported row when the names match (an imported reader who corrects a
 * finding in the tool). `journal` is the dataset's journal entries (`readJournal(root)`).
 */
export async function datasetReadings(dataset: Dataset, journal: readonly JournalEntry[], options?: MultiLabelOptions): Promise<DatasetReadings> {
  const usable = new Set(dataset.items.filter((item) => !item.error).map((item) => item.id));
  const fromJournal = journalReadings(journal);
  if (!dataset.multiLabel) {
    const decisions = fromJournal.decisions.filter((d) => usable.has(d.item));
    return { kind: 'single-label', classes: [...dataset.classes], readings: fromJournal.labels.filter((r) => usable.has(r.item)), ...(decisions.length ? { decisions } : {}) };
  }
  const imported = await importedReadings(dataset.root, [...usable], options ?? { format: dataset.multiLabel.format });
  const merged = new Map<string, Reading<Findings>>();
  for (const reading of [...imported, ...fromJournal.findings]) {
    if (!usable.has(reading.item)) continue;
    const key = JSON.stringify([reading.item, reading.reader]);
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, value: { ...earlier.value, ...reading.value } } : reading);
  }
  const decisions = fromJournal.findingDecisions.filter((d) => usable.has(d.item));
  return { kind: 'multi-label', findings: [...dataset.multiLabel.findings], readings: [...merged.values()], ...(decisions.length ? { decisions } : {}) };
}
