import * as assert from 'node:assert/strict';
import type { GalleryItem, ItemList } from '../../../src/shared/protocol';
import { parseFromWebview } from '../../../src/shared/parseMessage';
import { applyFilter, DEFAULT_FILTER, filterFromRequest, restoreFilter } from '../../../src/webview/gallery/filters';
import { listBanner, listMatch, restoreList } from '../../../src/webview/gallery/itemList';
import { commandForKey } from '../../../src/webview/gallery/keyboard';

const item = (id: string, label: string | null, confidence?: number): GalleryItem => ({
  id,
  label,
  flagged: false,
  ...(confidence === undefined ? {} : { prediction: { predicted: label ?? 'A', confidence, margin: confidence / 2, changed: false } }),
});
const items = [item('A/1.png', 'A', 0.9), item('A/2.png', 'A', 0.6), item('B/3.png', 'B', 0.7), item('B/4.png', 'B')];
const list: ItemList = { kind: 'similar', title: '2 images most like B/3.png', ids: ['B/3.png', 'A/1.png', 'gone.png', 'A/2.png'], scores: [1, 0.9, 0.8, 0.7], scoreName: 'similarity' };
const key = (k: string): ReturnType<typeof commandForKey> => commandForKey({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false });

describe('gallery lists (more like this, the map\'s selection, next to label)', () => {
  it('shows the listed items that exist, in the list\'s order, narrowed by the other filters', () => {
    const ids = (extra = {}): string[] => applyFilter(items, { ...filterFromRequest({ list }), ...extra }).map((i) => i.id);
    assert.deepEqual(ids(), ['B/3.png', 'A/1.png', 'A/2.png']);
    assert.deepEqual(ids({ label: 'A' }), ['A/1.png', 'A/2.png']);
    assert.deepEqual(ids({ descending: true }), ['A/2.png', 'A/1.png', 'B/3.png']);
    assert.deepEqual(ids({ sort: 'confidence', descending: true }), ['A/1.png', 'B/3.png', 'A/2.png'], 'another sort reorders the list');
    const lookup = new Map(items.map((i) => [i.id, i]));
    assert.deepEqual(applyFilter([], filterFromRequest({ list }), (id) => lookup.get(id)).map((i) => i.id), ['B/3.png', 'A/1.png', 'A/2.png'], 'found through the lookup');
  });

  it('says what the list is, what the filters hide and the focused item\'s score', () => {
    const shown = applyFilter(items, { ...filterFromRequest({ list }), label: 'A' });
    assert.equal(listBanner(list, shown, shown[0]), '2 images most like B/3.png · 2 of 4 shown with the filters · 2 of 4: similarity 0.900');
    assert.equal(listBanner({ ...list, scores: undefined }, shown, undefined), '2 images most like B/3.png · 2 of 4 shown with the filters');
    assert.match(listBanner({ ...list, kind: 'next' }, shown, shown[1]), /4 of 4: similarity 0\.700 · 1 … 9 label, the focus moves on$/);
  });

  it('survives a reload through the saved filter, and drops a malformed one', () => {
    assert.deepEqual(restoreFilter(JSON.parse(JSON.stringify({ ...DEFAULT_FILTER, list }))).list, list);
    assert.equal(restoreFilter({ ...DEFAULT_FILTER, list: { kind: 'similar', title: 'x', ids: [1, 2] } }).list, undefined);
    assert.equal(restoreList({ kind: 'other', title: 'x', ids: [] }), undefined);
    assert.deepEqual(restoreList({ kind: 'map', title: 'x', ids: ['a'], scores: [1, 2] }), { kind: 'map', title: 'x', ids: ['a'] }, 'scores of another length are dropped');
    assert.equal('list' in restoreFilter({}), false);
  });

  it("keeps a region list's match boxes through saved state, and knows each item's", () => {
    const boxes = [{ x: 0.8, y: 0, w: 0.1, h: 0.1 }, { x: 0.1, y: 0.7, w: 0.1, h: 0.1 }];
    const region: ItemList = { kind: 'region', title: 'r', ids: ['a', 'b'], scores: [1, 0.8], scoreName: 'region similarity', boxes };
    assert.deepEqual(restoreList(JSON.parse(JSON.stringify(region))), region);
    assert.deepEqual(listMatch(region, 'b'), boxes[1]);
    assert.equal(listMatch(region, 'c'), undefined);
    assert.equal(listMatch(list, 'A/1.png'), undefined, 'a list without boxes');
    assert.equal(restoreList({ ...region, boxes: [boxes[0], { x: 'no' }] })?.boxes, undefined, 'malformed boxes are dropped');
  });

  it('= asks for more like the focused image and x leaves the list', () => {
    assert.deepEqual(key('='), { kind: 'moreLikeThis' });
    assert.deepEqual(key('x'), { kind: 'leaveList' });
  });

  it('the host validates "more like this" and selection messages', () => {
    const body = (raw: unknown): unknown => {
      const parsed = parseFromWebview({ messageId: 1, body: raw });
      return 'refused' in parsed ? parsed : parsed.body;
    };
    assert.deepEqual(body({ type: 'similar', id: 'A/1.png', k: 24 }), { type: 'similar', id: 'A/1.png', k: 24 });
    assert.deepEqual(body({ type: 'selection', ids: [] }), { type: 'selection', ids: [] });
    assert.deepEqual(body({ type: 'selection', ids: ['a', 'a', 'b'] }), { type: 'selection', ids: ['a', 'b'] });
    for (const raw of [
      { type: 'similar', id: '../etc/passwd', k: 5 },
      { type: 'similar', id: 'A/1.png', k: 0 },
      { type: 'similar', id: 'A/1.png', k: 1e6 },
      { type: 'similar', id: 'A/1.png' },
      { type: 'selection', ids: 'a' },
      { type: 'selection', ids: ['/abs'] },
    ]) {
      assert.ok('refused' in parseFromWebview({ messageId: 1, body: raw }), JSON.stringify(raw));
    }
  });
});
