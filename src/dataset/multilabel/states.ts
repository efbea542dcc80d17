// Finding states as the label files write them, and the rules that merge several opinions into one.
import type { FindingState, Findings } from './types';

/** CheXpert / MIMIC-CXR / VinDr cells: `1` positive, `0` negative, `-1` uncertain, blank unmentioned; null if none of these. */
export function parseNumericState(cell: string): FindingState | null {
  const value = cell.trim();
  if (value === '') return 'unmentioned';
  const n = Number(value);
  return n === 1 ? 'positive' : n === 0 ? 'negative' : n === -1 ? 'uncertain' : null;
}

/** The cell for a state in a table whose cells look like `example` (`1.0` in CheXpert and MIMIC, `1` in VinDr). */
export function numericCell(state: FindingState, example: string): string {
  const decimal = example.includes('.');
  switch (state) {
    case 'positive':
      return decimal ? '1.0' : '1';
    case 'negative':
      return decimal ? '0.0' : '0';
    case 'uncertain':
      return decimal ? '-1.0' : '-1';
    case 'unmentioned':
      return '';
  }
}

/** The first non-blank cell of these columns, the style new cells follow (`1` when there is none). */
export function cellExample(records: readonly string[][], columns: readonly number[]): string {
  for (const record of records) for (const c of columns) if (record[c]?.trim()) return record[c].trim();
  return '1';
}

/**
 * Majority of several readers for one finding: positive or negative when more than half of the readers who
 * gave a label agree, uncertain on an even split, unmentioned when nobody gave one.
 */
export function majority(states: readonly FindingState[]): FindingState {
  let positive = 0;
  let negative = 0;
  for (const state of states) {
    if (state === 'positive') positive++;
    else if (state === 'negative') negative++;
  }
  const voters = positive + negative;
  if (voters === 0) return 'unmentioned';
  return positive * 2 > voters ? 'positive' : negative * 2 > voters ? 'negative' : 'uncertain';
}

/** Precedence when the images of one study were curated to different states: the most alarming wins. */
const PRECEDENCE: readonly FindingState[] = ['positive', 'uncertain', 'negative', 'unmentioned'];

/**
 * One state from the curated states of several images that share a label row (a MIMIC-CXR study): the
 * common state when they agree; otherwise the edit (a state that differs from the imported one), and among
 * several edits the first of positive, uncertain, negative, unmentioned. `conflict` is set when they disagreed.
 */
export function combineStates(imported: FindingState, curated: readonly FindingState[]): { state: FindingState; conflict: boolean } {
  const distinct = [...new Set(curated)];
  if (distinct.length <= 1) return { state: distinct[0] ?? imported, conflict: false };
  const edits = distinct.filter((state) => state !== imported);
  const state = PRECEDENCE.find((candidate) => edits.includes(candidate)) ?? imported;
  return { state, conflict: true };
}

/** Every finding of `names` set to `state`. */
export function allFindings(names: readonly string[], state: FindingState): Findings {
  const findings: Findings = {};
  for (const name of names) findings[name] = state;
  return findings;
}

/** `positive` for the listed names, `negative` for the others (NIH and PadChest lists are exhaustive). */
export function fromPositiveList(names: readonly string[], positives: ReadonlySet<string>): Findings {
  // A loop, not Object.fromEntries: 112,120 NIH rows make enough garbage as it is.
  const findings: Findings = {};
  for (const name of names) findings[name] = positives.has(name) ? 'positive' : 'negative';
  return findings;
}
