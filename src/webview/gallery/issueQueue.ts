// The label-issue review queue as plain functions (no DOM): which items it holds, in what order, where the focus
// goes after a verdict, what edit a verdict makes and what the banner says. Verdicts are UI state of this webview
// (kept with `setState`): "keep" writes nothing to the journal, accept and flag write their ordinary edits.
import type { FromWebviewBody, GalleryItem } from '../../shared/protocol';
import type { FilterState } from './filters';
import { withFinding } from './findings/findingFilter';
import { labelOf } from './findings/findingMarks';

export type Verdict = 'accepted' | 'kept' | 'flagged';

/** The filter the queue opens with: the given one, most suspicious (highest issue score) first; the sort stays the user's. */
export function queueFilter(filter: FilterState): FilterState {
  return { ...filter, sort: 'issue', descending: true };
}

/** Whether the audit suggests another label for the item: a class, or one finding's state. */
export function inQueue(item: GalleryItem): boolean {
  return item.suggestedLabel !== undefined || item.suggestedFinding !== undefined;
}

/** The finding an item's issue is about (the keys act on it while the queue focuses the item). */
export function queueFinding(item: GalleryItem | undefined): string | undefined {
  return item?.suggestedFinding?.finding;
}

/** The items of a (filtered, sorted) view the audit suggests another label for, in the view's order. */
export function queueOf(view: readonly GalleryItem[]): GalleryItem[] {
  return view.filter(inQueue);
}

/**
 * The item to review after `current`: the next one without a verdict, wrapping round to the first; undefined when
 * every item has one.
 */
export function nextToReview(ids: readonly string[], verdicts: Readonly<Record<string, Verdict>>, current?: string): string | undefined {
  const start = current !== undefined ? ids.indexOf(current) + 1 : 0;
  for (let step = 0; step < ids.length; step++) {
    const id = ids[(start + step) % ids.length];
    if (verdicts[id] === undefined) return id;
  }
  return undefined;
}

/**
 * The journal edit a verdict makes: accept relabels to the suggestion (or sets the suggested finding's state), flag
 * flags; keep (or nothing to change) none.
 */
export function verdictEdit(item: GalleryItem, verdict: Verdict): FromWebviewBody | undefined {
  if (verdict === 'accepted' && item.suggestedLabel !== undefined && item.label !== item.suggestedLabel) {
    return { type: 'relabel', ids: [item.id], label: item.suggestedLabel };
  }
  const suggested = item.suggestedFinding;
  if (verdict === 'accepted' && suggested && labelOf(item, suggested.finding) !== suggested.state) {
    return { type: 'setFinding', ids: [item.id], finding: suggested.finding, state: suggested.state };
  }
  if (verdict === 'flagged' && !item.flagged) return { type: 'flag', ids: [item.id], flagged: true };
  return undefined;
}

/** The item after a verdict's edit, shown at once on its tile. */
export function withVerdict(item: GalleryItem, verdict: Verdict): GalleryItem {
  if (verdict === 'accepted' && item.suggestedLabel !== undefined) return { ...item, label: item.suggestedLabel };
  if (verdict === 'accepted' && item.suggestedFinding) return withFinding(item, item.suggestedFinding.finding, item.suggestedFinding.state);
  if (verdict === 'flagged') return { ...item, flagged: true };
  return item;
}

const QUEUE_KEYS = 'a accept · s keep · f flag · i leave the queue';

/** The queue banner's line for the focused item at `index` (-1: none) of a queue of `ids`. */
export function queueBanner(ids: readonly string[], item: GalleryItem | undefined, index: number, verdicts: Readonly<Record<string, Verdict>>): string {
  const reviewed = ids.filter((id) => verdicts[id] !== undefined).length;
  if (ids.length === 0) return 'Issue queue: no label issues here. Run X-Ray Curator: Find Label Issues, or clear the filters · i leave the queue';
  const progress = `${reviewed} of ${ids.length} reviewed`;
  if (!item || index < 0 || !inQueue(item)) return `Issue queue · ${progress} · ${QUEUE_KEYS}`;
  const verdict = verdicts[item.id];
  return [`Issue ${index + 1} of ${ids.length}`, suggestionText(item), ...(verdict ? [verdict] : []), progress, QUEUE_KEYS].join(' · ');
}

/** The issue in words: "given COVID → suggested NORMAL", "Edema: given negative → suggested positive", or an uncertain finding to resolve. */
function suggestionText(item: GalleryItem): string {
  const suggested = item.suggestedFinding;
  if (suggested) {
    const now = labelOf(item, suggested.finding);
    if (now === suggested.state) return `${suggested.finding}: now ${now} (the suggestion)`;
    if (suggested.toResolve) return `${suggested.finding}: uncertain, to resolve → suggested ${suggested.state}`;
    return `${suggested.finding}: given ${now} → suggested ${suggested.state}`;
  }
  const given = item.label ?? 'unlabelled';
  if (item.label === item.suggestedLabel) return `now ${given} (the suggestion)`;
  return `given ${given} → suggested ${item.suggestedLabel}${item.issueReason ? ` (${item.issueReason})` : ''}`;
}

/** Verdicts from saved state, dropping anything malformed (state from an older version). */
export function restoreVerdicts(saved: unknown): Record<string, Verdict> {
  if (typeof saved !== 'object' || saved === null) return {};
  const allowed: readonly unknown[] = ['accepted', 'kept', 'flagged'];
  return Object.fromEntries(Object.entries(saved).filter((entry): entry is [string, Verdict] => allowed.includes(entry[1])));
}
