// What each keyboard command does, given the gallery's actions: the one place a `GalleryCommand` is carried out
// (keys arrive in main.ts; which key is which command is keyboard.ts).
import type { FindingLabel } from '../../shared/protocol';
import type { Edits } from './edits';
import type { Verdict } from './issueQueue';
import type { HelpOverlay } from './help';
import { commandForKey, moveFocus } from './keyboard';
import type { GalleryCommand } from './keyboard';

export interface GalleryActions {
  readonly edits: Edits;
  /** The focused item's index in the view, or -1. */
  focused(): number;
  count(): number;
  columns(): number;
  rowsPerPage(): number;
  focusIndex(index: number, how: 'plain' | 'extend'): void;
  classes(): readonly string[];
  /** The finding `p`, `n` and `m` set; undefined on a single-label dataset. */
  activeFinding(): string | undefined;
  cycleFinding(direction: 1 | -1): void;
  openDetail(): void;
  /** Closes the detail view; false when it was not open. */
  closeDetail(): boolean;
  setSelection(all: boolean): void;
  toggleHelp(): void;
  focusSearch(): void;
  toggleIssueQueue(): void;
  review(verdict: Verdict): void;
  /** More like the focused item. */
  moreLikeThis(): void;
  leaveList(): void;
  /** The reading study's queues. */
  studyQueue(queue: 'read' | 'adjudicate'): void;
  /** 1…9 in a study queue (a reading, or the adjudicator's decision); false elsewhere. */
  studyClassKey(label: string): boolean;
  /** p, n, m in the adjudication queue: the decision on a finding; false elsewhere. */
  studyFindingKey(finding: string, state: FindingLabel): boolean;
  showError(text: string): void;
}

export function runCommand(command: GalleryCommand, a: GalleryActions): void {
  const how = (extend: boolean): 'extend' | 'plain' => (extend ? 'extend' : 'plain');
  switch (command.kind) {
    case 'move':
      return a.focusIndex(moveFocus(a.focused(), command.dx, command.dy, a.columns(), a.count()), how(command.extend));
    case 'page':
      return a.focusIndex(moveFocus(a.focused(), 0, command.direction * a.rowsPerPage(), a.columns(), a.count()), how(command.extend));
    case 'edge':
      return a.focusIndex(command.to === 'first' ? 0 : a.count() - 1, how(command.extend));
    case 'setClass': {
      const label = a.classes()[command.index];
      if (label === undefined) return a.showError(`There is no class ${command.index + 1}: the classes are ${a.classes().join(', ')}.`);
      if (!a.studyClassKey(label)) a.edits.relabel(label);
      return;
    }
    case 'unlabel':
      return a.edits.relabel(null);
    case 'cycleFinding':
      return a.cycleFinding(command.direction);
    case 'setFinding': {
      const finding = a.activeFinding();
      if (finding === undefined) return a.showError('This dataset has no findings to set: p, n and m set the findings of a multi-label dataset (NIH, CheXpert, MIMIC-CXR, VinDr-CXR, PadChest files).');
      if (!a.studyFindingKey(finding, command.state)) a.edits.setFinding(finding, command.state);
      return;
    }
    case 'toggleFlag':
      return a.edits.toggleFlag();
    case 'undo':
    case 'redo':
      if (a.edits.canEdit()) void a.edits.request({ type: command.kind });
      return;
    case 'openDetail':
      return a.openDetail();
    case 'selectAll':
      return a.setSelection(true);
    case 'help':
      return a.toggleHelp();
    case 'search':
      return a.focusSearch();
    case 'issueQueue':
      return a.toggleIssueQueue();
    case 'review':
      return a.review(command.verdict);
    case 'moreLikeThis':
      return a.moreLikeThis();
    case 'leaveList':
      return a.leaveList();
    case 'studyQueue':
      return a.studyQueue(command.queue);
    case 'escape':
      if (!a.closeDetail()) a.setSelection(false);
      return;
  }
}

/** Where a key press lands: the search box and other controls keep their keys; the help overlay takes Esc and ?. */
export interface KeyTargets {
  search: HTMLInputElement;
  grid: HTMLElement;
  help: HelpOverlay;
  inIssueQueue(): boolean;
  actions: GalleryActions;
}

export function onKeyDown(event: KeyboardEvent, t: KeyTargets): void {
  const target = event.target;
  if (target instanceof HTMLElement && target.matches('input, select, textarea')) {
    if (event.key === 'Escape' && target === t.search) t.grid.focus();
    return;
  }
  if (target instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' ')) return;
  if (t.help.isOpen) {
    if (event.key === 'Escape' || event.key === '?') {
      event.preventDefault();
      t.help.toggle();
    }
    return;
  }
  const command = commandForKey(event, t.inIssueQueue());
  if (!command) return;
  event.preventDefault();
  runCommand(command, t.actions);
}
