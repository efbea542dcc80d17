// `<state>/readers.json`: how a dataset with several readers derives its label. Without the file the latest edit
// wins, whoever made it; with it, the consensus of the readers' readings is the label of every item they read.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../atomicFile';
import type { ItemOverride, JournalEntry, JournalState } from '../journalEntry';
import { stateDirOf } from '../userCache';
import { applyConsensus, formatConsensusRule, parseConsensusRule } from './consensus';
import type { ConsensusRule, Unsettled, Votes } from './consensus';
import { journalReadings } from './readings';

export const READERS_FILE_NAME = 'readers.json';
const READERS_VERSION = 1;
/** Unsettled items named in the dataset warning. */
const NAMED_UNSETTLED = 5;

/** The dataset's consensus rule, or null (no file: the latest edit wins). Throws on a damaged file. */
export async function readConsensusRule(root: string): Promise<ConsensusRule | null> {
  const file = path.join(stateDirOf(root), READERS_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = JSON.parse(text) as { version?: unknown; consensus?: unknown };
  if (value?.version !== READERS_VERSION) throw new Error(`${READERS_FILE_NAME}: unsupported version ${String(value?.version)}`);
  if (typeof value.consensus !== 'string') throw new Error(`${READERS_FILE_NAME}: no consensus rule`);
  return parseConsensusRule(value.consensus);
}

/** Writes the dataset's consensus rule; null removes the file (back to: the latest edit wins). */
export async function writeConsensusRule(root: string, rule: ConsensusRule | null): Promise<void> {
  const file = path.join(stateDirOf(root), READERS_FILE_NAME);
  if (!rule) return fs.rm(file, { force: true });
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, `${JSON.stringify({ version: READERS_VERSION, consensus: formatConsensusRule(rule) }, null, 2)}\n`);
}

/**
 * The journal state with each read item's label set by `rule` over the readers' readings (journal users): a settled
 * item takes the consensus, an unsettled one its source label (no label override). Flags, notes, findings and moves
 * are the journal's as they are.
 */
export function consensusState(state: JournalState, entries: readonly JournalEntry[], rule: ConsensusRule): { state: JournalState; unsettled: Unsettled[] } {
  const votes = new Map<string, Map<string, string>>();
  for (const reading of journalReadings(entries).labels) {
    let item = votes.get(reading.item);
    if (!item) votes.set(reading.item, (item = new Map()));
    item.set(reading.reader, reading.value);
  }
  const { settled, unsettled } = applyConsensus(rule, votes as ReadonlyMap<string, Votes>);
  const overrides = new Map<string, ItemOverride>([...state.overrides].map(([id, override]) => {
    const { label: _latestEdit, ...rest } = override;
    return [id, rest];
  }));
  for (const [id, label] of settled) overrides.set(id, { ...overrides.get(id), label });
  return { state: { overrides, moves: state.moves }, unsettled };
}

/** The dataset warning about items the rule left unsettled: how many, and the first few with the reason. */
export function unsettledWarning(rule: ConsensusRule, unsettled: readonly Unsettled[]): string | null {
  if (unsettled.length === 0) return null;
  const named = unsettled.slice(0, NAMED_UNSETTLED).map((u) => `${u.item} (${u.reason})`).join(', ');
  const more = unsettled.length > NAMED_UNSETTLED ? `, and ${unsettled.length - NAMED_UNSETTLED} more` : '';
  return `${unsettled.length} item(s) without a ${formatConsensusRule(rule)} consensus of their readers keep their folder or manifest label: ${named}${more}`;
}
