import * as assert from 'node:assert/strict';
import type { GalleryItem } from '../../../src/shared/protocol';
import { applyFilter, DEFAULT_FILTER } from '../../../src/webview/gallery/filters';
import { ItemStore } from '../../../src/webview/gallery/itemStore';

const item = (id: string, extra: Partial<GalleryItem> = {}): GalleryItem => ({ id, label: id.split('/')[0], flagged: false, ...extra });
const ids = (items: readonly GalleryItem[]): string[] => items.map((i) => i.id);

describe('gallery item store: pages, patches and cached counts', () => {
  it('takes a generation page by page, in id order, and ignores pages of an older generation', () => {
    const store = new ItemStore();
    store.reset({ generation: 1, total: 4, items: [item('A/1'), item('A/2')] });
    assert.equal(store.loading, true);
    assert.equal(store.append(0, [item('Z/old')]), false);
    assert.equal(store.append(1, [item('B/1'), item('B/2')]), true);
    assert.deepEqual(ids(store.items), ['A/1', 'A/2', 'B/1', 'B/2']);
    assert.equal(store.loading, false);
    store.reset({ generation: 2, total: 1, items: [item('C/1')] });
    assert.deepEqual(ids(store.items), ['C/1']);
    assert.equal(store.has('A/1'), false);
  });

  it('patches in place, inserts new items in id order, removes, and counts the total with them', () => {
    const store = new ItemStore();
    store.reset({ generation: 1, total: 3, items: [item('A/1'), item('A/3'), item('B/1')] });
    assert.equal(store.facets().byLabel.get('A'), 2);
    assert.equal(store.patch([item('A/1', { label: 'B' })], []), false);
    assert.equal(store.get('A/1')?.label, 'B');
    assert.equal(store.items[0].label, 'B', 'the list holds the new object');
    assert.equal(store.facets().byLabel.get('B'), 2, 'counts follow the patch');
    assert.equal(store.patch([item('A/2')], ['B/1']), true);
    assert.deepEqual(ids(store.items), ['A/1', 'A/2', 'A/3']);
    assert.equal(store.total, 3);
  });

  it('keeps the counts (issue queue included) up to date through patches and removals', () => {
    const store = new ItemStore();
    store.reset({ generation: 1, total: 2, items: [item('A/1', { suggestedLabel: 'B' }), item('A/2')] });
    assert.equal(store.facets().issues, 1);
    store.patch([item('A/2', { suggestedLabel: 'B' })], []);
    assert.equal(store.facets().issues, 2);
    store.patch([], ['A/1']);
    assert.deepEqual({ issues: store.facets().issues, total: store.facets().total, A: store.facets().byLabel.get('A') }, { issues: 1, total: 1, A: 1 });
  });
});

describe('gallery filters at size: sorting without re-sorting names', () => {
  const items = [
    item('A/1', { prediction: { predicted: 'A', confidence: 0.9, margin: 0.8, changed: false } }),
    item('A/2'),
    item('B/1', { prediction: { predicted: 'A', confidence: 0.6, margin: 0.2, changed: false } }),
    item('B/2', { prediction: { predicted: 'B', confidence: 0.9, margin: 0.7, changed: false } }),
  ];

  it('keeps items without the sort key last in both directions, ties in name order', () => {
    assert.deepEqual(ids(applyFilter(items, { ...DEFAULT_FILTER, sort: 'confidence' })), ['B/1', 'A/1', 'B/2', 'A/2']);
    assert.deepEqual(ids(applyFilter(items, { ...DEFAULT_FILTER, sort: 'confidence', descending: true })), ['A/1', 'B/2', 'B/1', 'A/2']);
  });

  it('sorts names given out of order, reverses for descending, and never reorders its input', () => {
    const shuffled = [items[2], items[0], items[3], items[1]];
    assert.deepEqual(ids(applyFilter(shuffled, DEFAULT_FILTER)), ['A/1', 'A/2', 'B/1', 'B/2']);
    assert.deepEqual(ids(applyFilter(shuffled, { ...DEFAULT_FILTER, descending: true })), ['B/2', 'B/1', 'A/2', 'A/1']);
    assert.deepEqual(ids(shuffled), ['B/1', 'A/1', 'B/2', 'A/2']);
  });

  it('finds a search word in an item changed after its first search', () => {
    const before = item('A/9', { note: 'blurry' });
    assert.deepEqual(ids(applyFilter([before], { ...DEFAULT_FILTER, search: 'rotated' })), []);
    const after = { ...before, note: 'rotated' };
    assert.deepEqual(ids(applyFilter([after], { ...DEFAULT_FILTER, search: 'rotated' })), ['A/9']);
  });
});
