// `label`'s reading-study options: the consensus rule and the study (`--readers`, `--readers-per-item`, `--blind` or
// `--open`, `--adjudicator`) written to `readers.json`, each option changing only what it names.
import * as fs from 'node:fs/promises';
import { DEFAULT_CONSENSUS, describeReadersConfig, formatConsensusRule, parseConsensusRule, readerNames, readReadersConfig, writeConsensusRule, writeReadersConfig } from '../dataset/readers';
import type { ConsensusRule, ReadingStudy } from '../dataset/readers';
import { UsageError } from './command';

export interface StudyOptions {
  consensus?: string;
  readers?: string;
  'readers-per-item'?: string;
  blind?: boolean;
  open?: boolean;
  adjudicator?: string;
}

/** Writes what the options ask for; false when they ask for nothing. */
export async function applyStudyOptions(root: string, options: StudyOptions): Promise<boolean> {
  const rule = options.consensus === undefined ? undefined : consensusOption(options.consensus);
  const changes = studyChanges(options);
  if (rule === undefined && changes === undefined) return false;
  if (!(await fs.stat(root).catch(() => null))?.isDirectory()) throw new Error(`dataset folder not found: ${root}`);
  if (changes === undefined) {
    await writeConsensusRule(root, rule!);
    process.stdout.write(rule ? `labels from now on: the ${formatConsensusRule(rule)} consensus of the readers\n` : 'labels from now on: the latest edit, whoever made it\n');
    return true;
  }
  if (rule === null) throw new UsageError('--consensus latest has no readers to set up: a reading study needs a consensus rule');
  const before = await readReadersConfig(root);
  const chosen = rule ?? before?.rule ?? DEFAULT_CONSENSUS;
  const study: ReadingStudy = { ...(before?.study ?? { blind: false }), ...changes };
  if (chosen.kind === 'adjudicator' && changes.adjudicator === undefined) study.adjudicator = chosen.reader;
  try {
    await writeReadersConfig(root, { rule: chosen, study });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  process.stdout.write(`reading study: ${describeReadersConfig({ rule: chosen, study })}\n`);
  return true;
}

/** The study fields the options set, or undefined when they set none. */
function studyChanges(options: StudyOptions): Partial<ReadingStudy> | undefined {
  if (options.blind && options.open) throw new UsageError('--blind and --open contradict each other');
  const changes: Partial<ReadingStudy> = {};
  if (options.blind || options.open) changes.blind = options.blind === true;
  if (options.readers !== undefined) changes.readers = readerNames(options.readers);
  if (options['readers-per-item'] !== undefined) {
    const k = Number(options['readers-per-item']);
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`--readers-per-item must be a whole number of at least 1, got "${options['readers-per-item']}"`);
    changes.readersPerItem = k;
  }
  if (options.adjudicator !== undefined) {
    if (options.adjudicator.trim() === '') throw new UsageError('--adjudicator needs a name');
    changes.adjudicator = options.adjudicator.trim();
  }
  return Object.keys(changes).length ? changes : undefined;
}

/** `latest` (null: no readers.json) or a consensus rule. */
function consensusOption(text: string): ConsensusRule | null {
  if (text === 'latest') return null;
  try {
    return parseConsensusRule(text);
  } catch (error) {
    throw new UsageError(`--consensus: ${(error as Error).message}`);
  }
}
