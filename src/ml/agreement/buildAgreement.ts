// The agreement statistics of a dataset's readers: overall, per class (one against the rest) or per finding,
// reader-vs-reader confusion matrices and each reader's prevalence.
import { confusionCounts } from './cohenKappa';
import type { AgreementOptions } from './estimate';
import { DEFAULT_AGREEMENT_OPTIONS } from './estimate';
import { oneVsRest, pairedCodes, ratingTable } from './ratings';
import type { RatedUnit, RatingTable } from './ratings';
import { tableAgreement } from './statistics';
import type { TableAgreement } from './statistics';

/** Multi-label readings are compared as a finding positive or not (negative, uncertain and unmentioned alike). */
export const POSITIVE = 'positive';
export const NOT_POSITIVE = 'not positive';

/**
 * Single-label: one unit per image, readings are class names. Multi-label: per finding one unit per image, readings
 * {@link POSITIVE} or {@link NOT_POSITIVE}; a reader who did not state a finding did not read that unit.
 */
export type AgreementInput =
  | { kind: 'single-label'; classes: readonly string[]; units: readonly RatedUnit[] }
  | { kind: 'multi-label'; findings: readonly { name: string; units: readonly RatedUnit[] }[] };

export interface ReaderConfusion {
  readers: [string, string];
  /** Multi-label: the finding this 2×2 table is about. */
  finding?: string;
  /** Row and column order: rows are the first reader's readings, columns the second's. */
  categories: string[];
  counts: number[][];
}

/**
 * Single-label: `counts`/`shares` per class of the reader's `n` readings. Multi-label: positives per finding and
 * their share of the reader's readings of that finding; `n` is the images the reader read.
 */
export interface ReaderPrevalence {
  reader: string;
  n: number;
  counts: Record<string, number>;
  shares: Record<string, number>;
}

export interface AgreementStatistics extends TableAgreement {
  kind: AgreementInput['kind'];
  readers: string[];
  /** Classes (single-label) or findings (multi-label). */
  categories: string[];
  /** Images with at least one reading. */
  items: number;
  bootstrap: Required<AgreementOptions> & { unit: 'image' };
  /**
   * Single-label: each class against the rest. Multi-label: each finding; the overall figures pool every finding of
   * every image (resampled by image).
   */
  perClass: (TableAgreement & { name: string })[];
  confusion: ReaderConfusion[];
  prevalence: ReaderPrevalence[];
}

export function buildAgreement(input: AgreementInput, options: AgreementOptions = {}): AgreementStatistics {
  const bootstrap = { ...DEFAULT_AGREEMENT_OPTIONS, ...options, unit: 'image' as const };
  if (input.kind === 'single-label') {
    const classes = [...new Set([...input.classes, ...input.units.flatMap((u) => [...u.readings.values()])])].sort();
    const table = ratingTable(input.units.filter((u) => u.readings.size > 0), classes);
    return {
      kind: input.kind,
      readers: [...table.readers],
      categories: classes,
      items: table.units.length,
      bootstrap,
      ...tableAgreement(table, options),
      perClass: classes.map((name, c) => ({ name, ...tableAgreement(oneVsRest(table, c), options) })),
      confusion: confusionOf(table),
      prevalence: classPrevalence(table),
    };
  }
  const binary = [NOT_POSITIVE, POSITIVE];
  const findings = input.findings.map(({ name, units }) => ({ name, table: ratingTable(units.filter((u) => u.readings.size > 0), binary) }));
  const pooledUnits = input.findings.flatMap(({ name, units }) => units.filter((u) => u.readings.size > 0).map((u) => ({ ...u, id: `${u.id}#${name}` })));
  const pooled = ratingTable(pooledUnits, binary);
  return {
    kind: input.kind,
    readers: [...pooled.readers],
    categories: findings.map((f) => f.name),
    items: new Set(pooled.groups).size,
    bootstrap,
    ...tableAgreement(pooled, options),
    perClass: findings.map(({ name, table }) => ({ name, ...tableAgreement(table, options) })),
    confusion: findings.flatMap(({ name, table }) => confusionOf(table).map((c) => ({ ...c, finding: name }))),
    prevalence: findingPrevalence(pooled, findings),
  };
}

function confusionOf(table: RatingTable): ReaderConfusion[] {
  const out: ReaderConfusion[] = [];
  const q = table.categories.length;
  for (let a = 0; a < table.readers.length; a++) {
    for (let b = a + 1; b < table.readers.length; b++) {
      const { units, first, second } = pairedCodes(table, a, b);
      if (units.length > 0) out.push({ readers: [table.readers[a], table.readers[b]], categories: [...table.categories], counts: confusionCounts(first, second, q) });
    }
  }
  return out;
}

function classPrevalence(table: RatingTable): ReaderPrevalence[] {
  const k = table.readers.length;
  return table.readers.map((reader, r) => {
    const counts: Record<string, number> = Object.fromEntries(table.categories.map((c) => [c, 0]));
    let n = 0;
    for (let u = 0; u < table.units.length; u++) {
      const code = table.codes[u * k + r];
      if (code < 0) continue;
      counts[table.categories[code]]++;
      n++;
    }
    return { reader, n, counts, shares: Object.fromEntries(table.categories.map((c) => [c, counts[c] / n])) };
  });
}

function findingPrevalence(pooled: RatingTable, findings: readonly { name: string; table: RatingTable }[]): ReaderPrevalence[] {
  const k = pooled.readers.length;
  return pooled.readers.map((reader, r) => {
    const images = new Set<string>();
    for (let u = 0; u < pooled.units.length; u++) if (pooled.codes[u * k + r] >= 0) images.add(pooled.groups[u]);
    const counts: Record<string, number> = {};
    const shares: Record<string, number> = {};
    for (const { name, table } of findings) {
      const column = table.readers.indexOf(reader);
      let read = 0;
      let positive = 0;
      for (let u = 0; column >= 0 && u < table.units.length; u++) {
        const code = table.codes[u * table.readers.length + column];
        if (code < 0) continue;
        read++;
        if (code === 1) positive++;
      }
      counts[name] = positive;
      if (read > 0) shares[name] = positive / read;
    }
    return { reader, n: images.size, counts, shares };
  });
}
