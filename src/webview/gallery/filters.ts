// Filters, sort and search over the gallery's items: plain functions over data (no DOM), tested in Node.
import type { GalleryFilterRequest, GalleryItem } from '../../shared/protocol';

export type Agreement = 'any' | 'correct' | 'misclassified';
export type FlagFilter = 'any' | 'flagged' | 'unflagged';
export type SortKey = 'name' | 'confidence' | 'margin' | 'issue';

/** What the user filters by. `label`: undefined = any, null = unlabelled only. Survives reloads via `setState`. */
export interface FilterState {
  label?: string | null;
  predicted?: string;
  agreement: Agreement;
  flagged: FlagFilter;
  /** Only items whose predicted class changed with the last retrain (the review queue). */
  changedOnly: boolean;
  /** Confidence range, 0…1; anything narrower than [0, 1] hides items without a prediction. */
  confidenceMin: number;
  confidenceMax: number;
  split?: string;
  source?: string;
  search: string;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_FILTER: FilterState = {
  agreement: 'any',
  flagged: 'any',
  changedOnly: false,
  confidenceMin: 0,
  confidenceMax: 1,
  search: '',
  sort: 'name',
  descending: false,
};

/** Source of an item: the manifest's `source` column. */
export function sourceOf(item: GalleryItem): string | undefined {
  return item.metadata?.source;
}

/** True when the prediction and the label agree; undefined when either is missing. */
export function agrees(item: GalleryItem): boolean | undefined {
  if (!item.prediction || item.label === null) return undefined;
  return item.prediction.predicted === item.label;
}

/** Lower-case words of the search box; an item matches when each word is in its name, label, findings, note or metadata. */
export function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesSearch(item: GalleryItem, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const findings = item.findings ? [...item.findings.positive, ...item.findings.uncertain] : [];
  const haystack = [item.id, item.label ?? 'unlabelled', ...findings, item.note ?? '', item.split ?? '', ...Object.values(item.metadata ?? {})].join('\n').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function matchesFilter(item: GalleryItem, filter: FilterState, words: readonly string[]): boolean {
  if (filter.label !== undefined && item.label !== filter.label) return false;
  if (filter.predicted !== undefined && item.prediction?.predicted !== filter.predicted) return false;
  if (filter.agreement !== 'any' && agrees(item) !== (filter.agreement === 'correct')) return false;
  if (filter.flagged !== 'any' && item.flagged !== (filter.flagged === 'flagged')) return false;
  if (filter.changedOnly && !item.prediction?.changed) return false;
  if (filter.confidenceMin > 0 || filter.confidenceMax < 1) {
    const confidence = item.prediction?.confidence;
    if (confidence === undefined || confidence < filter.confidenceMin || confidence > filter.confidenceMax) return false;
  }
  if (filter.split !== undefined && item.split !== filter.split) return false;
  if (filter.source !== undefined && sourceOf(item) !== filter.source) return false;
  return matchesSearch(item, words);
}

/** The items to show, filtered and sorted. Items without the sort key go last, in name order. */
export function applyFilter(items: readonly GalleryItem[], filter: FilterState): GalleryItem[] {
  const words = searchWords(filter.search);
  const shown = items.filter((item) => matchesFilter(item, filter, words));
  const key = sortValue(filter.sort);
  const direction = filter.descending ? -1 : 1;
  return shown.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return (ka < kb ? -1 : 1) * direction;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

function sortValue(sort: SortKey): (item: GalleryItem) => number | string | undefined {
  switch (sort) {
    case 'name':
      return (item) => item.id;
    case 'confidence':
      return (item) => item.prediction?.confidence;
    case 'margin':
      return (item) => item.prediction?.margin;
    case 'issue':
      return (item) => item.issueScore;
  }
}

/** Counts shown next to the filters, over all items (not the filtered ones), so every choice says what it holds. */
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
}

export function facetCounts(items: readonly GalleryItem[]): FacetCounts {
  const counts: FacetCounts = {
    total: items.length,
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
  };
  const patients = new Set<string>();
  const bump = <K>(map: Map<K, number>, key: K): void => void map.set(key, (map.get(key) ?? 0) + 1);
  for (const item of items) {
    bump(counts.byLabel, item.label);
    if (item.prediction) {
      counts.predicted++;
      bump(counts.byPrediction, item.prediction.predicted);
      if (item.prediction.changed) counts.changed++;
    }
    const agreement = agrees(item);
    if (agreement === true) counts.correct++;
    else if (agreement === false) counts.misclassified++;
    if (item.flagged) counts.flagged++;
    if (item.split !== undefined) bump(counts.bySplit, item.split);
    const source = sourceOf(item);
    if (source !== undefined) bump(counts.bySource, source);
    const patient = item.metadata?.patient_id;
    if (patient) patients.add(patient);
  }
  counts.patients = patients.size;
  return counts;
}

/** Restores a filter from saved state, dropping anything malformed (state from an older version). */
export function restoreFilter(saved: unknown): FilterState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<Record<keyof FilterState, unknown>>;
  const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
  const optional = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const unit = (value: unknown, fallback: number): number => (typeof value === 'number' && value >= 0 && value <= 1 ? value : fallback);
  const filter: FilterState = {
    label: s.label === null ? null : optional(s.label),
    predicted: optional(s.predicted),
    agreement: pick(s.agreement, ['any', 'correct', 'misclassified'], 'any'),
    flagged: pick(s.flagged, ['any', 'flagged', 'unflagged'], 'any'),
    changedOnly: s.changedOnly === true,
    confidenceMin: unit(s.confidenceMin, 0),
    confidenceMax: unit(s.confidenceMax, 1),
    split: optional(s.split),
    source: optional(s.source),
    search: typeof s.search === 'string' ? s.search : '',
    sort: pick(s.sort, ['name', 'confidence', 'margin', 'issue'], 'name'),
    descending: s.descending === true,
  };
  // "Any" is an absent key, as in DEFAULT_FILTER.
  for (const key of ['label', 'predicted', 'split', 'source'] as const) if (filter[key] === undefined) delete filter[key];
  return filter;
}

/** The filter a command asked for: exactly what it names, everything else back to "any". */
export function filterFromRequest(request: GalleryFilterRequest): FilterState {
  const filter: FilterState = { ...DEFAULT_FILTER };
  if (request.label !== undefined) filter.label = request.label;
  if (request.predicted !== undefined) filter.predicted = request.predicted;
  if (request.correctness) filter.agreement = request.correctness;
  if (request.flagged !== undefined) filter.flagged = request.flagged ? 'flagged' : 'unflagged';
  if (request.changedOnly) filter.changedOnly = true;
  if (request.split !== undefined) filter.split = request.split;
  if (request.source !== undefined) filter.source = request.source;
  if (request.search !== undefined) filter.search = request.search;
  if (request.sort) filter.sort = request.sort;
  if (request.descending !== undefined) filter.descending = request.descending;
  return filter;
}
