import * as assert from 'node:assert/strict';
import { afterEdit, commandForKey, editTargets, focusItem, moveFocus, SHORTCUTS } from '../../../src/webview/gallery/keyboard';
import type { KeyInput, SelectionState } from '../../../src/webview/gallery/keyboard';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('gallery keyboard model', () => {
  it('maps arrows and h/j/k/l to moves, with shift extending', () => {
    assert.deepEqual(commandForKey(key('ArrowRight')), { kind: 'move', dx: 1, dy: 0, extend: false });
    assert.deepEqual(commandForKey(key('j')), { kind: 'move', dx: 0, dy: 1, extend: false });
    assert.deepEqual(commandForKey(key('K', { shiftKey: true })), { kind: 'move', dx: 0, dy: -1, extend: true });
    assert.deepEqual(commandForKey(key('ArrowLeft', { shiftKey: true })), { kind: 'move', dx: -1, dy: 0, extend: true });
  });

  it('maps 1…9 to classes, f to flag, u and ctrl+z to undo, enter to detail, ? to help', () => {
    assert.deepEqual(commandForKey(key('1')), { kind: 'setClass', index: 0 });
    assert.deepEqual(commandForKey(key('9')), { kind: 'setClass', index: 8 });
    assert.deepEqual(commandForKey(key('f')), { kind: 'toggleFlag' });
    assert.deepEqual(commandForKey(key('u')), { kind: 'undo' });
    assert.deepEqual(commandForKey(key('z', { ctrlKey: true })), { kind: 'undo' });
    assert.deepEqual(commandForKey(key('Z', { ctrlKey: true, shiftKey: true })), { kind: 'redo' });
    assert.deepEqual(commandForKey(key('y', { metaKey: true })), { kind: 'redo' });
    assert.deepEqual(commandForKey(key('Enter')), { kind: 'openDetail' });
    assert.deepEqual(commandForKey(key('?', { shiftKey: true })), { kind: 'help' });
  });

  it('leaves other keys and alt/ctrl combinations to VS Code', () => {
    assert.equal(commandForKey(key('q')), undefined);
    assert.equal(commandForKey(key('p', { ctrlKey: true })), undefined);
    assert.equal(commandForKey(key('1', { altKey: true })), undefined);
    assert.equal(commandForKey(key('1', { ctrlKey: true })), undefined);
  });

  it('gives a, s and f to the issue queue\'s verdicts only inside the queue; i toggles the queue', () => {
    assert.deepEqual(commandForKey(key('i')), { kind: 'issueQueue' });
    assert.deepEqual(commandForKey(key('i'), true), { kind: 'issueQueue' });
    assert.deepEqual(commandForKey(key('a'), true), { kind: 'review', verdict: 'accepted' });
    assert.deepEqual(commandForKey(key('s'), true), { kind: 'review', verdict: 'kept' });
    assert.deepEqual(commandForKey(key('f'), true), { kind: 'review', verdict: 'flagged' });
    assert.equal(commandForKey(key('a')), undefined, 'no stray relabel outside the queue');
    assert.equal(commandForKey(key('s')), undefined);
    assert.deepEqual(commandForKey(key('f')), { kind: 'toggleFlag' });
    assert.deepEqual(commandForKey(key('k'), true), { kind: 'move', dx: 0, dy: -1, extend: false }, 'h/j/k/l still move in the queue');
    assert.deepEqual(commandForKey(key('2'), true), { kind: 'setClass', index: 1 }, 'a class key still relabels in the queue');
    assert.deepEqual(commandForKey(key('a', { ctrlKey: true }), true), { kind: 'selectAll' });
  });

  it('gives [ and ] to picking a finding and p, n, m to setting it, in and out of the issue queue', () => {
    assert.deepEqual(commandForKey(key(']')), { kind: 'cycleFinding', direction: 1 });
    assert.deepEqual(commandForKey(key('[')), { kind: 'cycleFinding', direction: -1 });
    assert.deepEqual(commandForKey(key('p')), { kind: 'setFinding', state: 'positive' });
    assert.deepEqual(commandForKey(key('n'), true), { kind: 'setFinding', state: 'negative' });
    assert.deepEqual(commandForKey(key('m')), { kind: 'setFinding', state: 'uncertain' });
    assert.equal(commandForKey(key('n', { ctrlKey: true })), undefined, 'Ctrl+N stays VS Code\'s');
  });

  it('lists every shortcut in the help table', () => {
    const text = SHORTCUTS.map((s) => s.keys).join(' ');
    for (const needle of ['h k l j', 'Shift', '1 … 9', 'f', 'Ctrl+Z', 'Enter', '?', 'Esc', 'i', 'a  (issue queue)', 's  (issue queue)', '[  ]', 'p · n · m', '=', 'x']) assert.ok(text.includes(needle), needle);
  });

  it('moves the focus in a grid and stays inside it', () => {
    // 10 items in 4 columns: rows 0-3, 4-7, 8-9.
    assert.equal(moveFocus(-1, 1, 0, 4, 10), 0);
    assert.equal(moveFocus(0, -1, 0, 4, 10), 0);
    assert.equal(moveFocus(1, 0, 1, 4, 10), 5);
    assert.equal(moveFocus(6, 0, 1, 4, 10), 9, 'down from a row above a short last row goes to the last item');
    assert.equal(moveFocus(2, 0, -1, 4, 10), 2);
    assert.equal(moveFocus(9, 1, 0, 4, 10), 9);
    assert.equal(moveFocus(3, 0, 0, 4, 0), -1);
  });

  const ids = ['a', 'b', 'c', 'd', 'e'];

  it('selects ranges with shift and toggles single items with ctrl', () => {
    let s: SelectionState = focusItem({ selected: new Set() }, ids, 1, 'plain');
    assert.equal(s.focus, 'b');
    s = focusItem(s, ids, 3, 'extend');
    assert.deepEqual([...s.selected], ['b', 'c', 'd']);
    s = focusItem(s, ids, 0, 'extend');
    assert.deepEqual([...s.selected].sort(), ['a', 'b']);
    s = focusItem(s, ids, 4, 'toggle');
    assert.deepEqual([...s.selected].sort(), ['a', 'b', 'e']);
    s = focusItem(s, ids, 4, 'toggle');
    assert.deepEqual([...s.selected].sort(), ['a', 'b']);
    assert.deepEqual(editTargets(s, ids), ['a', 'b']);
  });

  it('edits the focused item when nothing is selected, then moves the focus past the edited items', () => {
    const focused: SelectionState = { focus: 'c', anchor: 'c', selected: new Set() };
    assert.deepEqual(editTargets(focused, ids), ['c']);
    assert.equal(afterEdit(focused, ids, ['c']).focus, 'd');
    assert.equal(afterEdit(focused, ids, ['b', 'd']).focus, 'e');
    assert.equal(afterEdit(focused, ids, ['e']).focus, 'e', 'the last item keeps the focus');
    assert.equal(afterEdit(focused, ids, ['c']).selected.size, 0);
    assert.deepEqual(editTargets({ focus: 'zz', selected: new Set() }, ids), [], 'a focus hidden by the filter edits nothing');
  });
});
