// The counts next to the filters, over every item (not the filtered ones), so each choice says what it holds. A
// tally is kept up to date item by item: a relabel at 400,000 items must not count them all again.
import { inQueue } from './issueQueue';
import type { GalleryItem } from '../../shared/protocol';
import { agrees, sourceOf } from './filters';

export interface FacetCounts {
  total: number;
  byLabel: Map<string | null, number>;
  byPrediction: Map<string, number>;
  bySplit: Map<string, number>;
  bySource: Map<string, number>;
  correct: number;
  misclassified: number;
  flagged: number;
  changed: number;
  predicted: number;
  /** Distinct `patient_id` values. */
  patients: number;
  /** Items the last audit suggests another label for: the issue queue's length. */
  issues: number;
  /** Multi-label items labelled positive, per finding. */
  positiveFindings: Map<string, number>;
}

export class FacetTally {
  readonly counts: FacetCounts = {
    total: 0,
    byLabel: new Map(),
    byPrediction: new Map(),
    bySplit: new Map(),
    bySource: new Map(),
    correct: 0,
    misclassified: 0,
    flagged: 0,
    changed: 0,
    predicted: 0,
    patients: 0,
    issues: 0,
    positiveFindings: new Map(),
  };
  private readonly patients = new Map<string, number>();

  constructor(items: Iterable<GalleryItem> = []) {
    for (const item of items) this.add(item);
  }

  add(item: GalleryItem): void {
    this.count(item, 1);
  }

  remove(item: GalleryItem): void {
    this.count(item, -1);
  }

  private count(item: GalleryItem, by: 1 | -1): void {
    const c = this.counts;
    c.total += by;
    bump(c.byLabel, item.label, by);
    for (const finding of item.findings?.positive ?? []) bump(c.positiveFindings, finding, by);
    if (item.prediction) {
      c.predicted += by;
      bump(c.byPrediction, item.prediction.predicted, by);
      if (item.prediction.changed) c.changed += by;
    }
    const agreement = agrees(item);
    if (agreement === true) c.correct += by;
    else if (agreement === false) c.misclassified += by;
    if (item.flagged) c.flagged += by;
    if (item.split !== undefined) bump(c.bySplit, item.split, by);
    const source = sourceOf(item);
    if (source !== undefined) bump(c.bySource, source, by);
    if (inQueue(item)) c.issues += by;
    const patient = item.metadata?.patient_id;
    if (patient) {
      bump(this.patients, patient, by);
      c.patients = this.patients.size;
    }
  }
}

/** Adds `by` to a count, dropping counts that reach zero (a choice with nothing in it is not offered). */
function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}

export function facetCounts(items: readonly GalleryItem[]): FacetCounts {
  return new FacetTally(items).counts;
}
