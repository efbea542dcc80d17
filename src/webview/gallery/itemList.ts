// A list of items the host picked (more like this, the map's selection, what to label next) as the gallery shows
// it: plain functions over data (no DOM). The list keeps its own order; the other filters still narrow it.
import type { GalleryItem, ItemList, RegionBox } from '../../shared/protocol';
import { studyListParts } from './readers/readingText';

const LIST_KINDS: readonly unknown[] = ['similar', 'region', 'map', 'next', 'read', 'adjudicate'];

/** Lists longer than this are not saved with the UI state (it is serialized on every change). */
export const MAX_SAVED_LIST = 5000;

/** The list's items that exist and pass `keep`, in the list's order. */
export function listItems(list: ItemList, lookup: (id: string) => GalleryItem | undefined, keep: (item: GalleryItem) => boolean): GalleryItem[] {
  const shown: GalleryItem[] = [];
  for (const id of list.ids) {
    const item = lookup(id);
    if (item && keep(item)) shown.push(item);
  }
  return shown;
}

/** Where a region list found its region on item `id`, if it did. */
export function listMatch(list: ItemList, id: string): RegionBox | undefined {
  return list.boxes?.[list.ids.indexOf(id)];
}

/** The banner line: what the list is, how much of it the filters show, the focused item's place and score, the keys. */
export function listBanner(list: ItemList, shown: readonly GalleryItem[], focused: GalleryItem | undefined): string {
  const parts = [list.title];
  if (shown.length < list.ids.length) parts.push(`${shown.length} of ${list.ids.length} shown with the filters`);
  const at = focused ? list.ids.indexOf(focused.id) : -1;
  if (at >= 0) {
    const score = list.scores?.[at];
    parts.push(`${at + 1} of ${list.ids.length}${score !== undefined && list.scoreName ? `: ${list.scoreName} ${score.toFixed(3)}` : ''}`);
  }
  if (list.kind === 'next') parts.push('1 … 9 label, the focus moves on');
  parts.push(...studyListParts(list, shown, focused));
  return parts.join(' · ');
}

/** A list from saved state, or undefined when it is missing or malformed (state from an older version). */
export function restoreList(saved: unknown): ItemList | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const s = saved as Partial<Record<keyof ItemList, unknown>>;
  if (!LIST_KINDS.includes(s.kind)) return undefined;
  if (typeof s.title !== 'string' || !Array.isArray(s.ids) || !s.ids.every((id) => typeof id === 'string')) return undefined;
  const boxes = Array.isArray(s.boxes) && s.boxes.length === s.ids.length && s.boxes.every(isBox) ? (s.boxes as RegionBox[]) : undefined;
  const scores = Array.isArray(s.scores) && s.scores.length === s.ids.length && s.scores.every((v) => typeof v === 'number') ? (s.scores as number[]) : undefined;
  return {
    kind: s.kind as ItemList['kind'],
    title: s.title,
    ids: s.ids as string[],
    ...(scores ? { scores } : {}),
    ...(scores && typeof s.scoreName === 'string' ? { scoreName: s.scoreName } : {}),
    ...(boxes ? { boxes } : {}),
  };
}

function isBox(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { x, y, w, h } = value as Record<string, unknown>;
  return [x, y, w, h].every((v) => typeof v === 'number' && Number.isFinite(v));
}
