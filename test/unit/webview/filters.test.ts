import * as assert from 'node:assert/strict';
import type { GalleryItem } from '../../../src/shared/protocol';
import { facetCounts } from '../../../src/webview/gallery/facets';
import { applyFilter, DEFAULT_FILTER, filterFromRequest, restoreFilter, sortedBy } from '../../../src/webview/gallery/filters';
import type { FilterState } from '../../../src/webview/gallery/filters';

function item(id: string, label: string | null, extra: Partial<GalleryItem> = {}): GalleryItem {
  return { id, label, flagged: false, ...extra };
}

const predicted = (p: string, confidence: number, changed = false, margin = confidence / 2): GalleryItem['prediction'] => ({ predicted: p, confidence, margin, changed });

const items: GalleryItem[] = [
  item('COVID/a.png', 'COVID', { prediction: predicted('COVID', 0.9), metadata: { source: 'ieee8023', patient_id: 'p1' }, split: 'train' }),
  item('COVID/b.png', 'COVID', { prediction: predicted('NORMAL', 0.6, true), metadata: { source: 'cxnet' }, flagged: true, issueScore: 0.8, split: 'test' }),
  item('NORMAL/c.png', 'NORMAL', { prediction: predicted('NORMAL', 0.55), metadata: { source: 'kermany' }, issueScore: 0.1, split: 'test' }),
  item('NORMAL/d.png', 'NORMAL'),
  item('e.png', null, { prediction: predicted('PNEUMONIA', 0.7, true), note: 'ask the radiologist' }),
];

const ids = (filter: Partial<FilterState>): string[] => applyFilter(items, { ...DEFAULT_FILTER, ...filter }).map((i) => i.id);

describe('gallery filters, sort and search', () => {
  it('shows everything, in name order, by default', () => {
    assert.deepEqual(ids({}), ['COVID/a.png', 'COVID/b.png', 'NORMAL/c.png', 'NORMAL/d.png', 'e.png']);
  });

  it('filters by label, with null meaning unlabelled', () => {
    assert.deepEqual(ids({ label: 'NORMAL' }), ['NORMAL/c.png', 'NORMAL/d.png']);
    assert.deepEqual(ids({ label: null }), ['e.png']);
  });

  it('filters by prediction, correct and misclassified (items without prediction or label are neither)', () => {
    assert.deepEqual(ids({ predicted: 'NORMAL' }), ['COVID/b.png', 'NORMAL/c.png']);
    assert.deepEqual(ids({ agreement: 'correct' }), ['COVID/a.png', 'NORMAL/c.png']);
    assert.deepEqual(ids({ agreement: 'misclassified' }), ['COVID/b.png']);
  });

  it('filters flagged, changed by the last retrain, split, source', () => {
    assert.deepEqual(ids({ flagged: 'flagged' }), ['COVID/b.png']);
    assert.equal(ids({ flagged: 'unflagged' }).length, 4);
    assert.deepEqual(ids({ changedOnly: true }), ['COVID/b.png', 'e.png']);
    assert.deepEqual(ids({ split: 'test' }), ['COVID/b.png', 'NORMAL/c.png']);
    assert.deepEqual(ids({ source: 'kermany' }), ['NORMAL/c.png']);
  });

  it('filters a confidence range, which leaves out items without a prediction', () => {
    assert.deepEqual(ids({ confidenceMin: 0.6, confidenceMax: 0.8 }), ['COVID/b.png', 'e.png']);
    assert.ok(!ids({ confidenceMin: 0.01 }).includes('NORMAL/d.png'));
  });

  it('searches names, labels, notes and metadata, every word, ignoring case', () => {
    assert.deepEqual(ids({ search: 'IEEE' }), ['COVID/a.png']);
    assert.deepEqual(ids({ search: 'radiologist' }), ['e.png']);
    assert.deepEqual(ids({ search: 'covid cxnet' }), ['COVID/b.png']);
    assert.deepEqual(ids({ search: 'covid kermany' }), []);
  });

  it('sorts by confidence, margin and issue score; items without the key go last', () => {
    assert.deepEqual(ids({ sort: 'confidence' }), ['NORMAL/c.png', 'COVID/b.png', 'e.png', 'COVID/a.png', 'NORMAL/d.png']);
    assert.deepEqual(ids({ sort: 'confidence', descending: true }).slice(0, 2), ['COVID/a.png', 'e.png']);
    assert.deepEqual(ids({ sort: 'margin' })[0], 'NORMAL/c.png');
    assert.deepEqual(ids({ sort: 'issue', descending: true }), ['COVID/b.png', 'NORMAL/c.png', 'COVID/a.png', 'NORMAL/d.png', 'e.png']);
  });

  it('sorts any numbers natively: negative, zero, infinite, missing and NaN last, ties in the given order', () => {
    const values = [3, -1, undefined, 0, -0, Infinity, -Infinity, 0.5, NaN, 0.5, -2.5, 1e30];
    const order = (descending: boolean): number[] => sortedBy(values.map((value, index) => ({ value, index })), (x) => x.value, descending).map((x) => x.index);
    assert.deepEqual(order(false), [6, 10, 1, 3, 4, 7, 9, 0, 11, 5, 2, 8]);
    assert.deepEqual(order(true), [5, 11, 0, 7, 9, 3, 4, 1, 10, 6, 2, 8]);
    const many = Array.from({ length: 10_000 }, (_, index) => ({ index, value: Math.round(Math.sin(index) * 1000) / 4 }));
    const expected = [...many].sort((a, b) => a.value - b.value || a.index - b.index).map((x) => x.index);
    assert.deepEqual(sortedBy(many, (x) => x.value, false).map((x) => x.index), expected, 'as a comparator sort orders them (values exact in float32, many ties)');
  });

  it('counts every facet over all items', () => {
    const counts = facetCounts(items);
    assert.equal(counts.total, 5);
    assert.equal(counts.byLabel.get('COVID'), 2);
    assert.equal(counts.byLabel.get(null), 1);
    assert.equal(counts.correct, 2);
    assert.equal(counts.misclassified, 1);
    assert.equal(counts.flagged, 1);
    assert.equal(counts.changed, 2);
    assert.equal(counts.predicted, 4);
    assert.equal(counts.bySource.get('cxnet'), 1);
    assert.equal(counts.bySplit.get('test'), 2);
  });

  it('restores a saved filter and drops malformed fields', () => {
    const saved = { ...DEFAULT_FILTER, label: null, agreement: 'misclassified', sort: 'issue', descending: true, search: 'x' };
    assert.deepEqual(restoreFilter(JSON.parse(JSON.stringify(saved))), saved);
    const bad = restoreFilter({ agreement: 'everything', confidenceMin: 7, sort: 42, label: 5, search: null });
    assert.deepEqual(bad, DEFAULT_FILTER);
    assert.deepEqual(restoreFilter('garbage'), DEFAULT_FILTER);
  });

  it('turns a command\'s filter request into exactly that filter, the rest back to any', () => {
    assert.deepEqual(filterFromRequest({ correctness: 'misclassified' }), { ...DEFAULT_FILTER, agreement: 'misclassified' });
    assert.deepEqual(filterFromRequest({ label: null, flagged: false, sort: 'issue', descending: true }), {
      ...DEFAULT_FILTER,
      label: null,
      flagged: 'unflagged',
      sort: 'issue',
      descending: true,
    });
    assert.deepEqual(applyFilter(items, filterFromRequest({ label: 'COVID', changedOnly: true })).map((i) => i.id), ['COVID/b.png']);
  });
});
