// The finding that `p`, `n` and `m` set on a multi-label gallery: picked with `[` and `]`, or by the finding filter.
import type { DatasetSummary } from '../../../shared/protocol';

/** The next finding in the dataset's order (wrapping round); the first one when none was picked. */
export function cycleFinding(current: string | undefined, findings: readonly string[], direction: 1 | -1): string | undefined {
  if (findings.length === 0) return undefined;
  const at = current === undefined ? -1 : findings.indexOf(current);
  if (at < 0) return direction === 1 ? findings[0] : findings[findings.length - 1];
  return findings[(at + direction + findings.length) % findings.length];
}

/** The finding the keys act on: the picked one if the dataset has it, else the filtered one, else the first. */
export function activeFinding(picked: string | undefined, filtered: string | undefined, dataset: DatasetSummary | undefined): string | undefined {
  const findings = dataset?.findings ?? [];
  if (picked !== undefined && findings.includes(picked)) return picked;
  if (filtered !== undefined && findings.includes(filtered)) return filtered;
  return findings[0];
}

/** The toolbar's key hint on a multi-label dataset. */
export function findingKeysHint(finding: string | undefined): string {
  return finding === undefined ? '' : `Finding: ${finding}  ([ ] to change) · p positive · n negative · m uncertain`;
}
