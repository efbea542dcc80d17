// The audit of a whole dataset from its cached embeddings: what the command-line tool and the extension's
// worker job both run. Items that cannot be embedded are left out with a warning.
import * as path from 'node:path';
import type { Dataset } from '../../dataset';
import type { MlSession, RunOptions } from '../session';
import { FINGERPRINT_CACHE_FILE, fingerprintsOf } from './fingerprints';
import { runAudit } from './index';
import type { AuditReport } from './index';
import { labelIssueCount } from './issueMarks';

export async function auditDataset(session: MlSession, dataset: Dataset, options: RunOptions & { seed?: number; files?: string } = {}): Promise<AuditReport> {
  const candidates = dataset.items.filter((item) => !item.error && item.hash);
  const embedded = await session.embedItems(candidates, options);
  const dim = session.featureDim;
  const keep = candidates.flatMap((_, i) => (embedded.errors[i] ? [] : [i]));
  const warnings = candidates.flatMap((item, i) => (embedded.errors[i] ? [`${item.id}: not audited: ${embedded.errors[i]}`] : []));
  const items = keep.map((i) => candidates[i]);
  const features = new Float32Array(items.length * dim);
  keep.forEach((i, r) => features.set(embedded.features.subarray(i * dim, (i + 1) * dim), r * dim));
  const fingerprints = await fingerprintsOf(items, path.join(session.stateDir, FINGERPRINT_CACHE_FILE), warnings);
  const report = await runAudit({
    dataset: options.files ? path.resolve(options.files) : dataset.root,
    classes: dataset.classes.filter((c) => items.some((item) => item.label === c)),
    items,
    features: { data: features, rows: items.length, cols: dim },
    fingerprints,
    ...(dataset.multiLabel ? { multiLabel: { findings: dataset.multiLabel.findings } } : {}),
    options: { seed: options.seed ?? 0 },
  });
  report.warnings.unshift(...dataset.warnings, ...warnings);
  return report;
}

/** One line a person reads first. */
export function auditSummary(report: AuditReport): string {
  const { leakage } = report;
  return (
    `${report.items} items audited: ${labelIssueCount(report)} label issues, ${report.duplicates.clusters.length} duplicate clusters ` +
    `(${leakage.acrossSplits.length} across splits, ${leakage.acrossClasses.length} across classes, ${leakage.acrossPatients.length} across patients), ` +
    `${shortcutFindingsOf(report).length} shortcut findings`
  );
}

/** The shortcut audit's findings in plain words; multi-label: every finding's, each named by its finding. */
export function shortcutFindingsOf(report: AuditReport): string[] {
  return report.shortcuts?.findings ?? (report.findingShortcuts ?? []).flatMap(({ finding, shortcuts }) => shortcuts.findings.map((text) => `${finding}: ${text}`));
}
