import * as path from 'node:path';
import { writeAtomically } from '../dataset/atomicFile';
import { decodeImage, IDENTIFIER_POLICIES, openDataset, writeIdentifierPolicy } from '../dataset';
import type { IdentifierPolicy } from '../dataset';
import type { Dataset } from '../dataset';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';

/** Version of the `scan --out` JSON format. */
export const SCAN_REPORT_VERSION = 1;

/** The model input size `--verify` decodes to (one full decode per image). */
const VERIFY_SIZE = 224;

export const scanCommand: CliCommand = {
  usage: 'scan DATASET [--files LIST] [--manifest CSV] [--frontal-only] [--verify] [--dicom-identifiers pseudonymised|raw] --out FILE.json',
  summary:
    'Lists classes, counts, every item (label, hash, metadata) and every error with its reason. --frontal-only skips lateral views. --verify decodes every image. ' +
    '--dicom-identifiers sets how this dataset writes DICOM patient and study ids from now on (default pseudonymised: salted hashes).',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      files: { type: 'string' },
      manifest: { type: 'string' },
      'frontal-only': { type: 'boolean' },
      verify: { type: 'boolean' },
      'dicom-identifiers': { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const policy = values['dicom-identifiers'];
    if (policy !== undefined) {
      if (!(IDENTIFIER_POLICIES as readonly string[]).includes(policy)) throw new UsageError(`--dicom-identifiers must be one of ${IDENTIFIER_POLICIES.join(', ')}, got ${policy}`);
      await writeIdentifierPolicy(path.resolve(root), policy as IdentifierPolicy);
    }
    const dataset = await openDataset(root, { files: values.files, manifest: values.manifest, views: values['frontal-only'] ? 'frontal' : 'all' });
    if (values.verify) await verifyDecoding(dataset);
    const report = scanReport(dataset);
    await writeAtomically(path.resolve(values.out), `${JSON.stringify(report, null, 2)}\n`);
    const counts = Object.entries(report.counts).map(([label, count]) => `${label} ${count}`).join(', ');
    process.stdout.write(`${report.items.length} items (${counts}); ${report.errors.length} errors; written to ${values.out}\n`);
    for (const warning of dataset.warnings) process.stderr.write(`warning: ${warning}\n`);
    return 0;
  },
};

/** Marks items whose pixels cannot be decoded (truncated data that the header check lets through). */
async function verifyDecoding(dataset: Dataset): Promise<void> {
  for (const item of dataset.items) {
    if (item.error) continue;
    try {
      await decodeImage(item.absPath, { modelSize: VERIFY_SIZE });
    } catch (error) {
      item.error = (error as Error).message;
    }
  }
}

export interface ScanReport {
  version: typeof SCAN_REPORT_VERSION;
  root: string;
  manifest: string | null;
  list: string | null;
  classes: string[];
  /** Items per effective label; `(unlabelled)` for none. Items with errors are counted under `(error)`. */
  counts: Record<string, number>;
  items: {
    id: string;
    label: string | null;
    sourceLabel: string | null;
    flagged: boolean;
    hash: string | null;
    format?: string;
    width?: number;
    height?: number;
    metadata: Record<string, string>;
    error?: string;
  }[];
  errors: { where: string; reason: string }[];
  warnings: string[];
}

export function scanReport(dataset: Dataset): ScanReport {
  // Every class appears, even with no items; then the unlabelled and unusable items.
  const counts: Record<string, number> = Object.fromEntries(dataset.classes.map((label) => [label, 0]));
  for (const item of dataset.items) {
    const key = item.error ? '(error)' : item.label ?? '(unlabelled)';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return {
    version: SCAN_REPORT_VERSION,
    root: dataset.root,
    manifest: dataset.manifestPath,
    list: dataset.listPath,
    classes: dataset.classes,
    counts,
    items: dataset.items.map((item) => ({
      id: item.id,
      label: item.label,
      sourceLabel: item.sourceLabel,
      flagged: item.flagged,
      hash: item.hash,
      format: item.format,
      width: item.width,
      height: item.height,
      metadata: item.metadata,
      ...(item.error ? { error: item.error } : {}),
    })),
    errors: [...dataset.items.filter((item) => item.error).map((item) => ({ where: item.id, reason: item.error! })), ...dataset.problems],
    warnings: dataset.warnings,
  };
}
