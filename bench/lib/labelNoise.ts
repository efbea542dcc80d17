// Seeded label noise for the label-issue benchmarks: flip a share of the labels to another class, then ask how many
// of the flips the audit ranks among its top 2× issues.
import type { DatasetItem } from '../../src/dataset';
import type { AuditItem, AuditReport } from '../../src/ml/audit';
import { seededRandom } from '../../src/ml/splits';

export function auditItem(item: DatasetItem, label: string | null, id = item.id): AuditItem {
  return { id, label, hash: item.hash, metadata: item.metadata, format: item.format, width: item.width, height: item.height };
}

/** `labels` with `rate` of them (rounded) moved to another of `classes`, uniformly; the indices moved. */
export function flipLabels(labels: readonly string[], classes: readonly string[], rate: number, seed: number): { noisy: string[]; flipped: Set<number> } {
  const random = seededRandom(seed);
  const noisy = labels.slice();
  const flipped = new Set<number>();
  while (flipped.size < Math.round(rate * labels.length)) {
    const i = Math.floor(random() * labels.length);
    if (flipped.has(i)) continue;
    flipped.add(i);
    noisy[i] = classes[(classes.indexOf(labels[i]) + 1 + Math.floor(random() * (classes.length - 1))) % classes.length];
  }
  return { noisy, flipped };
}

/** Fraction of `flipped` ids among the top `2 × flipped` label-issue scores. */
export function recallInTop(report: AuditReport, flipped: ReadonlySet<string>): number {
  const ranked = Object.entries(report.labelIssues!.scores).sort((a, b) => b[1] - a[1]);
  const top = ranked.slice(0, 2 * flipped.size).filter(([id]) => flipped.has(id)).length;
  return top / flipped.size;
}
