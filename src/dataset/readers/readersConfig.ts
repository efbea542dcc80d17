// `<state>/readers.json`: how a dataset with several readers derives its label. Without the file the latest edit
// wins, whoever made it; with it, the consensus of the readers' readings is the label of every item they read.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../atomicFile';
import type { ItemOverride, JournalEntry, JournalState } from '../journalEntry';
import type { FindingState } from '../multilabel/types';
import { stateDirOf } from '../userCache';
import { applyConsensus, formatConsensusRule, parseConsensusRule } from './consensus';
import type { ConsensusRule, Unsettled, Votes } from './consensus';
import { journalReadings } from './readings';
import { studyProblems } from './study';
import type { ReadingStudy } from './study';

export const READERS_FILE_NAME = 'readers.json';
/** 2 added the reading study (blind reading, the assignment, the adjudicator); version-1 files hold only the rule. */
const READERS_VERSION = 2;
const READABLE_VERSIONS: ReadonlySet<unknown> = new Set([1, 2]);
/** Unsettled items named in the dataset warning. */
const NAMED_UNSETTLED = 5;

/** What `readers.json` holds: the consensus rule and the reading study. */
export interface ReadersConfig {
  rule: ConsensusRule;
  study: ReadingStudy;
}

/** The dataset's readers configuration, or null (no file: the latest edit wins). Throws on a damaged file. */
export async function readReadersConfig(root: string): Promise<ReadersConfig | null> {
  const file = path.join(stateDirOf(root), READERS_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = JSON.parse(text) as Record<string, unknown> | null;
  if (!READABLE_VERSIONS.has(value?.version)) throw new Error(`${READERS_FILE_NAME}: unsupported version ${String(value?.version)}`);
  if (typeof value!.consensus !== 'string') throw new Error(`${READERS_FILE_NAME}: no consensus rule`);
  const rule = parseConsensusRule(value!.consensus);
  const names = value!.readers;
  if (names !== undefined && (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))) throw new Error(`${READERS_FILE_NAME}: readers must be a list of names`);
  for (const key of ['readersPerItem', 'adjudicator'] as const) {
    const expected = key === 'readersPerItem' ? 'number' : 'string';
    if (value![key] !== undefined && typeof value![key] !== expected) throw new Error(`${READERS_FILE_NAME}: ${key} must be a ${expected}`);
  }
  const study: ReadingStudy = {
    blind: value!.blind === true,
    ...(typeof value!.readersPerItem === 'number' ? { readersPerItem: value!.readersPerItem } : {}),
    ...(names ? { readers: names as string[] } : {}),
    ...(typeof value!.adjudicator === 'string' ? { adjudicator: value!.adjudicator } : rule.kind === 'adjudicator' ? { adjudicator: rule.reader } : {}),
  };
  const problems = studyProblems(study);
  if (problems.length) throw new Error(`${READERS_FILE_NAME}: ${problems.join('; ')}`);
  return { rule, study };
}

/** The study in words: "3 readers (R1, R2, R3), 2 per image, blind, adjudicator dr, majority consensus". */
export function describeReadersConfig({ rule, study }: ReadersConfig): string {
  const parts = [study.readers?.length ? `${study.readers.length} readers (${study.readers.join(', ')})` : 'any reader'];
  if (study.readersPerItem) parts.push(`${study.readersPerItem} per image`);
  parts.push(study.blind ? 'blind' : 'open');
  if (study.adjudicator) parts.push(`adjudicator ${study.adjudicator}`);
  return `${parts.join(', ')}, ${formatConsensusRule(rule)} consensus`;
}

/** Reader names as typed: comma-separated, blanks dropped. */
export function readerNames(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** The dataset's consensus rule, or null (no file: the latest edit wins). Throws on a damaged file. */
export async function readConsensusRule(root: string): Promise<ConsensusRule | null> {
  return (await readReadersConfig(root))?.rule ?? null;
}

/** Writes the dataset's readers configuration; null removes the file (back to: the latest edit wins). */
export async function writeReadersConfig(root: string, config: ReadersConfig | null): Promise<void> {
  const file = path.join(stateDirOf(root), READERS_FILE_NAME);
  if (!config) return fs.rm(file, { force: true });
  const problems = studyProblems(config.study);
  if (problems.length) throw new RangeError(problems.join('; '));
  await fs.mkdir(path.dirname(file), { recursive: true });
  const { study } = config;
  const value = {
    version: READERS_VERSION,
    consensus: formatConsensusRule(config.rule),
    blind: study.blind,
    ...(study.readersPerItem !== undefined ? { readersPerItem: study.readersPerItem } : {}),
    ...(study.readers ? { readers: study.readers } : {}),
    ...(study.adjudicator !== undefined ? { adjudicator: study.adjudicator } : {}),
  };
  await writeAtomically(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes the dataset's consensus rule, keeping its reading study; null removes the file (back to: the latest edit wins). */
export async function writeConsensusRule(root: string, rule: ConsensusRule | null): Promise<void> {
  if (!rule) return writeReadersConfig(root, null);
  const before = await readReadersConfig(root).catch(() => null);
  const study: ReadingStudy = { ...(before?.study ?? { blind: false }) };
  // An adjudicator who came with the old rule goes with it; one named for the study stays.
  if (before?.rule.kind === 'adjudicator' && study.adjudicator === before.rule.reader) delete study.adjudicator;
  if (rule.kind === 'adjudicator') study.adjudicator = rule.reader;
  await writeReadersConfig(root, { rule, study });
}

/**
 * The journal state with each read item's label set by `rule` over the readers' readings (journal users): a settled
 * item takes the consensus (or the adjudicator's decision), an unsettled one its source label (no label override).
 * Multi-label items the same per finding: each finding the readers stated takes their consensus, or its file label
 * when unsettled (`unsettled` names the finding). Flags, notes and moves are the journal's as they are.
 */
export function consensusState(state: JournalState, entries: readonly JournalEntry[], rule: ConsensusRule): { state: JournalState; unsettled: Unsettled[] } {
  const readings = journalReadings(entries);
  const votes = new Map<string, Map<string, string>>();
  for (const reading of readings.labels) voteOf(votes, reading.item).set(reading.reader, reading.value);
  const decided = new Map(readings.decisions.map((d) => [d.item, d.label]));
  const { settled, unsettled } = applyConsensus(rule, votes as ReadonlyMap<string, Votes>, decided);
  const overrides = new Map<string, ItemOverride>([...state.overrides].map(([id, override]) => {
    const { label: _latestLabel, findings: _latestFindings, ...rest } = override;
    return [id, rest];
  }));
  for (const [id, label] of settled) overrides.set(id, { ...overrides.get(id), label });
  // Per finding: finding → item → reader → state.
  const findingVotes = new Map<string, Map<string, Map<string, string>>>();
  for (const reading of readings.findings) {
    for (const [finding, value] of Object.entries(reading.value)) {
      let byItem = findingVotes.get(finding);
      if (!byItem) findingVotes.set(finding, (byItem = new Map()));
      voteOf(byItem, reading.item).set(reading.reader, value);
    }
  }
  for (const [finding, byItem] of findingVotes) {
    const decided = new Map(readings.findingDecisions.filter((d) => d.finding === finding).map((d) => [d.item, d.state]));
    const result = applyConsensus(rule, byItem as ReadonlyMap<string, Votes>, decided);
    for (const [id, value] of result.settled) {
      const override = overrides.get(id) ?? {};
      overrides.set(id, { ...override, findings: { ...override.findings, [finding]: value as FindingState } });
    }
    unsettled.push(...result.unsettled.map((u) => ({ ...u, finding })));
  }
  return { state: { overrides, moves: state.moves }, unsettled };
}

function voteOf(votes: Map<string, Map<string, string>>, item: string): Map<string, string> {
  let forItem = votes.get(item);
  if (!forItem) votes.set(item, (forItem = new Map()));
  return forItem;
}

/** The dataset warning about items the rule left unsettled: how many, and the first few with the reason. */
export function unsettledWarning(rule: ConsensusRule, unsettled: readonly Unsettled[]): string | null {
  if (unsettled.length === 0) return null;
  const named = unsettled.slice(0, NAMED_UNSETTLED).map((u) => `${u.item} (${u.finding ? `${u.finding}: ` : ''}${u.reason})`).join(', ');
  const more = unsettled.length > NAMED_UNSETTLED ? `, and ${unsettled.length - NAMED_UNSETTLED} more` : '';
  const findings = unsettled.some((u) => u.finding !== undefined);
  const what = findings ? 'label(s)' : 'item(s)';
  const kept = findings ? "keep their folder, manifest or label file's value" : 'keep their folder or manifest label';
  return `${unsettled.length} ${what} without a ${formatConsensusRule(rule)} consensus of their readers ${kept}: ${named}${more}`;
}
