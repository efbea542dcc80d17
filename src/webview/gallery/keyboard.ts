// The gallery's keyboard model as plain functions (no DOM): which key does what, where the focus moves, what
// the selection becomes. The help overlay is built from `SHORTCUTS`, so it cannot drift from the handling.
import type { Verdict } from './issueQueue';

/** The parts of a KeyboardEvent the model looks at. */
export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export type GalleryCommand =
  | { kind: 'move'; dx: number; dy: number; extend: boolean }
  | { kind: 'page'; direction: 1 | -1; extend: boolean }
  | { kind: 'edge'; to: 'first' | 'last'; extend: boolean }
  | { kind: 'setClass'; index: number }
  | { kind: 'unlabel' }
  | { kind: 'toggleFlag' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'openDetail' }
  | { kind: 'selectAll' }
  | { kind: 'help' }
  | { kind: 'escape' }
  | { kind: 'search' }
  | { kind: 'issueQueue' }
  | { kind: 'review'; verdict: Verdict }
  | { kind: 'moreLikeThis' }
  | { kind: 'leaveList' }
  | { kind: 'studyQueue'; queue: 'read' | 'adjudicate' }
  | { kind: 'cycleFinding'; direction: 1 | -1 }
  | { kind: 'setFinding'; state: 'positive' | 'negative' | 'uncertain' };

export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: '← ↑ → ↓  or  h k l j', does: 'Move the focus' },
  { keys: 'Shift + arrows', does: 'Extend the selection' },
  { keys: 'Click · Shift+click · Ctrl+click', does: 'Select one · a range · add or remove one' },
  { keys: 'Page Up / Page Down, Home / End', does: 'Move by a screen, to the first / last' },
  { keys: '1 … 9', does: 'Set the class of the selection (or the focused image); the focus moves on' },
  { keys: '0', does: 'Make the selection unlabelled' },
  { keys: '[  ]  (multi-label)', does: 'Pick the finding the keys below set (the finding filter picks it too)' },
  { keys: 'p · n · m  (multi-label)', does: 'Set that finding positive · negative · uncertain ("maybe"); the focus moves on' },
  { keys: 'f', does: 'Flag / unflag (in the issue queue: flag, then the next issue)' },
  { keys: 'u  or  Ctrl+Z', does: 'Undo the last edit' },
  { keys: 'Ctrl+Shift+Z  or  Ctrl+Y', does: 'Redo' },
  { keys: 'Enter', does: 'Open the detail view' },
  { keys: 'Ctrl+A', does: 'Select every shown image' },
  { keys: '/', does: 'Search' },
  { keys: 'i', does: 'Issue queue: only images whose label the audit suggests changing, most suspicious first' },
  { keys: 'a  (issue queue)', does: 'Accept the suggested label, then the next issue' },
  { keys: 's  (issue queue)', does: 'Keep the given label (marked reviewed, nothing written), then the next issue' },
  { keys: '=', does: 'More like this: the focused image and the 24 most like it by embedding (Score Dataset first)' },
  { keys: 'x', does: 'Leave a list (more like this, the map\'s selection, next to label, a study queue): show all images again' },
  { keys: 'r  (reading study)', does: 'Reading queue: the images waiting for you (in blind reading, shown bare until you read them)' },
  { keys: 'd  (reading study)', does: 'Adjudication queue: where the readers disagree; 1 … 9 decide (the reason is asked for), the focus moves on' },
  { keys: 'Esc', does: 'Close the detail view or help; clear the selection' },
  { keys: '?', does: 'This help' },
];

const MOVES: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  h: [-1, 0],
  l: [1, 0],
  k: [0, -1],
  j: [0, 1],
};

/**
 * The command for a key press in the grid, or undefined when the key is not the gallery's. In the issue queue
 * `a`, `s` and `f` give a verdict on the focused issue; outside it `a` and `s` do nothing, so no stray key relabels.
 */
export function commandForKey(input: KeyInput, inIssueQueue = false): GalleryCommand | undefined {
  const ctrl = input.ctrlKey || input.metaKey;
  const key = input.key.length === 1 && ctrl ? input.key.toLowerCase() : input.key;
  if (input.altKey) return undefined;
  if (ctrl) {
    if (key === 'z') return input.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y') return { kind: 'redo' };
    if (key === 'a') return { kind: 'selectAll' };
    return undefined;
  }
  // Shift+H arrives as "H": h/j/k/l extend the selection like the arrows.
  const move = MOVES[key] ?? MOVES[key.toLowerCase()];
  if (move) {
    return { kind: 'move', dx: move[0], dy: move[1], extend: input.shiftKey };
  }
  if (inIssueQueue && !input.shiftKey) {
    if (key === 'a') return { kind: 'review', verdict: 'accepted' };
    if (key === 's') return { kind: 'review', verdict: 'kept' };
    if (key === 'f') return { kind: 'review', verdict: 'flagged' };
  }
  switch (key) {
    case 'i':
      return { kind: 'issueQueue' };
    case 'PageDown':
    case 'PageUp':
      return { kind: 'page', direction: key === 'PageDown' ? 1 : -1, extend: input.shiftKey };
    case 'Home':
    case 'End':
      return { kind: 'edge', to: key === 'Home' ? 'first' : 'last', extend: input.shiftKey };
    case 'f':
      return { kind: 'toggleFlag' };
    case 'u':
      return { kind: 'undo' };
    case 'Enter':
      return { kind: 'openDetail' };
    case '?':
      return { kind: 'help' };
    case 'Escape':
      return { kind: 'escape' };
    case '/':
      return { kind: 'search' };
    case '0':
      return { kind: 'unlabel' };
    case '=':
      return { kind: 'moreLikeThis' };
    case 'x':
      return { kind: 'leaveList' };
    case 'r':
      return { kind: 'studyQueue', queue: 'read' };
    case 'd':
      return { kind: 'studyQueue', queue: 'adjudicate' };
    case '[':
    case ']':
      return { kind: 'cycleFinding', direction: key === ']' ? 1 : -1 };
    case 'p':
      return { kind: 'setFinding', state: 'positive' };
    case 'n':
      return { kind: 'setFinding', state: 'negative' };
    case 'm':
      return { kind: 'setFinding', state: 'uncertain' };
  }
  if (/^[1-9]$/.test(key)) return { kind: 'setClass', index: Number(key) - 1 };
  return undefined;
}

/** The index the focus moves to in a grid of `count` items laid out in `columns` columns; stays inside. */
export function moveFocus(focus: number, dx: number, dy: number, columns: number, count: number): number {
  if (count === 0) return -1;
  if (focus < 0) return 0;
  const target = focus + dx + dy * columns;
  if (dy !== 0 && (target < 0 || target >= count)) return dy > 0 ? count - 1 : focus % columns;
  return Math.min(count - 1, Math.max(0, target));
}

/** Focus and selection, by item id so they survive re-filtering and reloads. */
export interface SelectionState {
  focus?: string;
  /** Where a shift-range starts. */
  anchor?: string;
  selected: ReadonlySet<string>;
}

/**
 * The selection after focusing `ids[index]`: `extend` (shift) selects the range from the anchor, `toggle`
 * (ctrl) adds or removes one item, a plain move or click selects nothing but the focus.
 */
export function focusItem(state: SelectionState, ids: readonly string[], index: number, how: 'plain' | 'extend' | 'toggle'): SelectionState {
  const id = ids[index];
  if (id === undefined) return state;
  if (how === 'toggle') {
    const selected = new Set(state.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { focus: id, anchor: id, selected };
  }
  if (how === 'extend') {
    const anchorIndex = state.anchor !== undefined ? ids.indexOf(state.anchor) : -1;
    const from = anchorIndex >= 0 ? anchorIndex : index;
    const [lo, hi] = from <= index ? [from, index] : [index, from];
    return { focus: id, anchor: ids[from], selected: new Set(ids.slice(lo, hi + 1)) };
  }
  return { focus: id, anchor: id, selected: new Set() };
}

/** The items an edit applies to: the selection when there is one, else the focused item. */
export function editTargets(state: SelectionState, ids: readonly string[]): string[] {
  if (state.selected.size > 0) return ids.filter((id) => state.selected.has(id));
  return state.focus !== undefined && ids.includes(state.focus) ? [state.focus] : [];
}

/**
 * Where the focus goes after an edit of `targets`: the item after the last of them, so labelling runs down the
 * grid one keypress per image; the selection is cleared.
 */
export function afterEdit(state: SelectionState, ids: readonly string[], targets: readonly string[]): SelectionState {
  const last = Math.max(...targets.map((id) => ids.indexOf(id)));
  const next = ids[Math.min(ids.length - 1, last + 1)] ?? state.focus;
  return { focus: next, anchor: next, selected: new Set() };
}
