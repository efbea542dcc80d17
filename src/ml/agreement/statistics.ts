// Cohen's kappa per reader pair, Fleiss' kappa and Krippendorff's alpha of one rating table, each with its interval.
import { cohenKappa } from './cohenKappa';
import type { AgreementEstimate, AgreementOptions } from './estimate';
import { estimateWithInterval, NO_MULTIPLY_READ_ITEM, NO_PAIRED_ITEM } from './estimate';
import { fleissKappa, fleissUnit } from './fleissKappa';
import { krippendorffAlpha } from './krippendorffAlpha';
import { categoryCounts, pairedCodes } from './ratings';
import type { RatingTable } from './ratings';

export interface PairKappa {
  readers: [string, string];
  /** Units both readers read. */
  n: number;
  kappa: AgreementEstimate;
}

export interface TableAgreement {
  /** Reader pairs with at least one unit in common (pairs who never read the same image are left out). */
  pairs: PairKappa[];
  fleiss: AgreementEstimate;
  alpha: AgreementEstimate;
}

export function tableAgreement(table: RatingTable, options: AgreementOptions): TableAgreement {
  return { pairs: pairKappas(table, options), fleiss: fleissOf(table, options), alpha: alphaOf(table, options) };
}

export function pairKappas(table: RatingTable, options: AgreementOptions): PairKappa[] {
  const pairs: PairKappa[] = [];
  const q = table.categories.length;
  for (let a = 0; a < table.readers.length; a++) {
    for (let b = a + 1; b < table.readers.length; b++) {
      const { units, first, second } = pairedCodes(table, a, b);
      if (units.length === 0) continue;
      const kappa = estimateWithInterval(units.length, (w) => cohenKappa(first, second, q, w), NO_PAIRED_ITEM, options, groupsOf(table, units));
      pairs.push({ readers: [table.readers[a], table.readers[b]], n: units.length, kappa });
    }
  }
  return pairs;
}

export function fleissOf(table: RatingTable, options: AgreementOptions): AgreementEstimate {
  return multiRater(table, options, fleissKappa);
}

export function alphaOf(table: RatingTable, options: AgreementOptions): AgreementEstimate {
  return multiRater(table, options, krippendorffAlpha);
}

type MultiRaterStatistic = (counts: ArrayLike<number>, perUnit: ArrayLike<number>, categories: number, weights?: ArrayLike<number>) => number;

/** Bootstraps over the units with two or more readings (the others take part in neither statistic). */
function multiRater(table: RatingTable, options: AgreementOptions, statistic: MultiRaterStatistic): AgreementEstimate {
  const { counts, perUnit } = categoryCounts(table);
  const q = table.categories.length;
  const units = [...perUnit.keys()].filter((u) => fleissUnit(perUnit[u]));
  const kept = new Float64Array(units.length * q);
  units.forEach((u, i) => kept.set(counts.subarray(u * q, (u + 1) * q), i * q));
  const keptPerUnit = Float64Array.from(units, (u) => perUnit[u]);
  return estimateWithInterval(units.length, (w) => statistic(kept, keptPerUnit, q, w), NO_MULTIPLY_READ_ITEM, options, groupsOf(table, units));
}

/** The images of these units, when some image has several units (multi-label findings pooled); else undefined. */
function groupsOf(table: RatingTable, units: readonly number[]): string[] | undefined {
  const groups = units.map((u) => table.groups[u]);
  return new Set(groups).size < groups.length ? groups : undefined;
}
