import * as fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { LabelJournal, openDataset } from '../dataset';
import type { Dataset, DatasetItem, JournalEdit, JournalEntry } from '../dataset';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { applyStudyOptions } from './labelStudy';

export const labelCommand: CliCommand = {
  usage:
    'label DATASET (--set ITEM=CLASS | --finding ITEM:FINDING=positive|negative|uncertain|unmentioned | --flag ITEM | --unflag ITEM | --from-csv FILE | --adjudicate ITEM=CLASS|ITEM:FINDING=STATE --reason TEXT)... ' +
    '[--reader NAME | --user NAME] [--consensus majority|unanimous|adjudicator:NAME|reader:NAME|latest] [--readers A,B,C] [--readers-per-item K] [--blind | --open] [--adjudicator NAME]',
  summary:
    'Records label edits in the dataset journal, in the order given, and prints one line per durable edit. ' +
    '--from-csv reads path,label[,flagged] rows. Nothing is recorded if any item or class is unknown (exit 1). ' +
    '--reader (or --user) names the reader the edits are journalled under; default: the OS user. ' +
    "--consensus sets how the dataset's label comes from its readers' readings (readers.json); latest: the latest edit wins, whoever made it (the default). " +
    '--readers, --readers-per-item, --blind/--open and --adjudicator set up the reading study (each image read by K of the readers, blind: ' +
    "a reader sees neither the model nor the other readers until they have read it). --adjudicate records the reader's decision on a " +
    'disagreement (ITEM=CLASS, or ITEM:FINDING=STATE on a multi-label dataset) with its --reason (one reason for every --adjudicate of the call).',
  async run(args: string[]): Promise<number> {
    const { values, positionals, tokens } = parseCommandArgs(args, {
      set: { type: 'string', multiple: true },
      finding: { type: 'string', multiple: true },
      flag: { type: 'string', multiple: true },
      unflag: { type: 'string', multiple: true },
      'from-csv': { type: 'string', multiple: true },
      user: { type: 'string' },
      reader: { type: 'string' },
      consensus: { type: 'string' },
      adjudicate: { type: 'string', multiple: true },
      reason: { type: 'string' },
      readers: { type: 'string' },
      'readers-per-item': { type: 'string' },
      blind: { type: 'boolean' },
      open: { type: 'boolean' },
      adjudicator: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    if (values.reader !== undefined && values.user !== undefined && values.reader !== values.user) throw new UsageError('--reader and --user name two different people');
    if (values.reader === '' || values.user === '') throw new UsageError('--reader needs a name');
    const requests: EditRequest[] = [];
    for (const token of tokens) {
      if (token.kind !== 'option' || token.value === undefined) continue;
      if (token.name === 'set') requests.push(parseSet(token.value));
      else if (token.name === 'finding') requests.push(parseFinding(token.value));
      else if (token.name === 'flag' || token.name === 'unflag') requests.push({ kind: token.name, itemId: token.value, source: `--${token.name}` });
      else if (token.name === 'from-csv') requests.push(...(await readEditCsv(token.value)));
      else if (token.name === 'adjudicate') requests.push(parseAdjudicate(token.value, values.reason));
    }
    if (values.reason !== undefined && !values.adjudicate) throw new UsageError('--reason goes with --adjudicate');
    // The study first: edits made in the same call are read under it.
    const study = await applyStudyOptions(root, values);
    if (requests.length === 0 && !study) throw new UsageError('no edits given');
    if (requests.length > 0) await recordEdits(root, requests, values.reader ?? values.user);
    return 0;
  },
};

async function recordEdits(root: string, requests: readonly EditRequest[], user: string | undefined): Promise<void> {
  const dataset = await openDataset(root);
  const edits = resolveEdits(dataset, requests);
  const journal = await LabelJournal.open(dataset.root, { user });
  for (const edit of edits) {
    const [entry] = await journal.record([edit]);
    // Printed only after the append is fsynced: a script may rely on every printed edit being durable.
    process.stdout.write(`${describe(entry)}\n`);
  }
}

interface EditRequest {
  kind: 'relabel' | 'flag' | 'unflag' | 'finding';
  itemId: string;
  /** relabel: the class; finding: the state. */
  label?: string;
  finding?: string;
  /** An adjudicator's decision (a relabel or a finding), with its reason. */
  reason?: string;
  /** Where the request came from, for error messages. */
  source: string;
}

function parseSet(value: string): EditRequest {
  const separator = value.lastIndexOf('=');
  if (separator <= 0 || separator === value.length - 1) throw new UsageError(`--set needs ITEM=CLASS, got "${value}"`);
  return { kind: 'relabel', itemId: value.slice(0, separator), label: value.slice(separator + 1), source: '--set' };
}

/** `ITEM=CLASS`, or a finding's decision `ITEM:FINDING=STATE` (multi-label). */
function parseAdjudicate(value: string, reason: string | undefined): EditRequest {
  if (!reason?.trim()) throw new UsageError('--adjudicate needs --reason TEXT: the reason is journalled with the decision');
  const decision = FINDING_DECISION.test(value) ? parseFinding(value) : parseSet(value);
  return { ...decision, reason: reason.trim(), source: '--adjudicate' };
}

const FINDING_DECISION = /:[^:=]+=(positive|negative|uncertain|unmentioned)$/;

/** `ITEM:FINDING=STATE` (the item id may hold ':'; the finding is after the last one before '='). */
function parseFinding(value: string): EditRequest {
  const m = /^(.+):([^:=]+)=(positive|negative|uncertain|unmentioned)$/.exec(value);
  if (!m) throw new UsageError(`--finding needs ITEM:FINDING=positive|negative|uncertain|unmentioned, got "${value}"`);
  return { kind: 'finding', itemId: m[1], finding: m[2], label: m[3], source: '--finding' };
}

/** Reads `path,label[,flagged]` rows; an empty label leaves the label alone (useful to only flag). */
async function readEditCsv(file: string): Promise<EditRequest[]> {
  let records: Record<string, string>[];
  try {
    records = parse(await fs.readFile(file), { bom: true, columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()), skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const requests: EditRequest[] = [];
  records.forEach((record, index) => {
    const source = `${file}:${index + 2}`;
    if (!record.path) throw new Error(`${source}: no path (the file needs a header line with path,label[,flagged])`);
    if (record.label) requests.push({ kind: 'relabel', itemId: record.path, label: record.label, source });
    if (record.flagged !== undefined && record.flagged !== '') {
      const flagged = /^(1|true|yes)$/i.test(record.flagged);
      if (!flagged && !/^(0|false|no)$/i.test(record.flagged)) throw new Error(`${source}: flagged must be true/false, got "${record.flagged}"`);
      requests.push({ kind: flagged ? 'flag' : 'unflag', itemId: record.path, source });
    }
  });
  return requests;
}

/** Checks every request against the dataset before anything is recorded. */
function resolveEdits(dataset: Dataset, requests: readonly EditRequest[]): JournalEdit[] {
  const items = new Map<string, DatasetItem>(dataset.items.map((item) => [item.id, item]));
  const problems: string[] = [];
  const edits: JournalEdit[] = [];
  for (const request of requests) {
    const item = items.get(request.itemId.replace(/\\/g, '/').replace(/^\.\//, ''));
    if (!item) {
      problems.push(`${request.source}: unknown item "${request.itemId}"`);
      continue;
    }
    if (request.kind === 'relabel' && !dataset.classes.includes(request.label!)) {
      problems.push(`${request.source}: unknown class "${request.label}" (classes: ${dataset.classes.join(', ')})`);
      continue;
    }
    if (request.kind === 'finding' && !dataset.multiLabel?.findings.includes(request.finding!)) {
      problems.push(`${request.source}: unknown finding "${request.finding}" (${dataset.multiLabel ? `findings: ${dataset.multiLabel.findings.join(', ')}` : 'not a multi-label dataset'})`);
      continue;
    }
    edits.push({ kind: request.kind, item, value: request.label, finding: request.finding, ...(request.reason ? { adjudication: { reason: request.reason } } : {}) });
  }
  if (problems.length > 0) throw new Error(`nothing recorded:\n  ${problems.join('\n  ')}`);
  return edits;
}

function describe(entry: JournalEntry): string {
  const change =
    entry.kind === 'relabel' ? `: ${entry.old ?? '(unlabelled)'} → ${entry.new ?? '(unlabelled)'}`
    : entry.kind === 'finding' ? ` ${entry.finding}: ${String(entry.old)} → ${String(entry.new)}`
    : '';
  const decision = entry.adjudication ? ` (adjudicated: ${entry.adjudication.reason})` : '';
  return `recorded ${entry.id} ${entry.kind} ${entry.item}${change}${decision}`;
}
