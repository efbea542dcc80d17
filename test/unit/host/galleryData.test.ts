import * as assert from 'node:assert/strict';
import type { DatasetItem, JournalEntry } from '../../../src/dataset';
import { historyOf, PredictionStore, toGalleryItem } from '../../../src/host/galleryData';
import { originalUrl, thumbnailUrl } from '../../../src/shared/itemUrls';

const datasetItem = (id: string, extra: Partial<DatasetItem> = {}): DatasetItem => ({
  id,
  absPath: `/data/${id}`,
  sourceLabel: 'COVID',
  label: 'COVID',
  flagged: false,
  hash: 'a'.repeat(64),
  metadata: { source: 'cxnet', sha256: 'b'.repeat(64), view: '' },
  ...extra,
});

describe('gallery data: what the host sends the webview', () => {
  it('builds an item with its thumbnail path, metadata without the hash, and no prediction before a model', () => {
    const item = toGalleryItem(datasetItem('COVID/a.png'), () => 'aa/aaaa-256.webp', new PredictionStore());
    assert.deepEqual(item, { id: 'COVID/a.png', label: 'COVID', flagged: false, thumb: 'aa/aaaa-256.webp', metadata: { source: 'cxnet' } });
    assert.equal(originalUrl({ dataset: 'https://x/data' }, item), 'https://x/data/COVID/a.png');
    assert.equal(thumbnailUrl({ dataset: 'https://x/data', thumbnails: 'https://x/thumbs' }, item), 'https://x/thumbs/aa/aaaa-256.webp');
  });

  it('sends no image for an unreadable item, only its error', () => {
    const item = toGalleryItem(datasetItem('x.png', { error: 'truncated PNG' }), () => 'xx/x.webp', new PredictionStore());
    assert.equal(item.thumb, undefined);
    assert.equal(originalUrl({ dataset: 'https://x/data' }, item), undefined);
    assert.equal(item.error, 'truncated PNG');
  });

  it('encodes each segment of an id in its URL', () => {
    assert.equal(originalUrl({ dataset: 'u' }, { id: 'COVID/a b#1%.png' }), 'u/COVID/a%20b%231%25.png');
  });

  it('adds predictions, marks those whose class changed since the previous set, and reports what changed', () => {
    const store = new PredictionStore();
    const classes = ['COVID', 'NORMAL'];
    store.set({ model: 'v1', classes, predictions: [{ id: 'a', probs: [0.9, 0.1], predicted: 0, confidence: 0.9, margin: 0.8 }] });
    const touched = store.set({
      model: 'v2',
      classes,
      predictions: [
        { id: 'a', probs: [0.3, 0.7], predicted: 'NORMAL', confidence: 0.7, margin: 0.4, issueScore: 0.6, split: 'val' },
        { id: 'b', probs: [0.8, 0.2], predicted: 0, confidence: 0.8, margin: 0.6 },
      ],
    });
    assert.deepEqual([...touched].sort(), ['a', 'b']);
    assert.equal(store.model, 'v2');
    assert.deepEqual(store.galleryFields('a'), { prediction: { predicted: 'NORMAL', confidence: 0.7, margin: 0.4, changed: true }, issueScore: 0.6, split: 'val' });
    assert.equal(store.galleryFields('b').prediction?.changed, false, 'no previous prediction is not a change');
    assert.deepEqual(store.probabilities('a'), [{ label: 'NORMAL', probability: 0.7 }, { label: 'COVID', probability: 0.3 }]);
    assert.deepEqual(store.galleryFields('zzz'), {});
  });

  it('adds an audit\'s issue scores and suggested labels, and a newer audit replaces them', () => {
    const store = new PredictionStore();
    const why = 'the label looks wrong: 8 of the 10 most similar images are NORMAL, 1 COVID';
    const first = store.setLabelIssues({ scores: { a: 0.9, b: 0.1 }, suggestedLabels: { a: 'NORMAL' }, issueReasons: { a: why }, suggestedFindings: {} });
    assert.deepEqual([...first].sort(), ['a', 'b']);
    assert.deepEqual(store.galleryFields('a'), { issueScore: 0.9, suggestedLabel: 'NORMAL', issueReason: why });
    assert.deepEqual(store.galleryFields('b'), { issueScore: 0.1 }, 'a score without a suggestion: not in the queue');
    const second = store.setLabelIssues({ scores: { c: 0.8 }, suggestedLabels: { c: 'COVID' }, issueReasons: {}, suggestedFindings: {} });
    assert.deepEqual([...second].sort(), ['a', 'b', 'c'], 'items that lose their issue are sent again');
    assert.deepEqual(store.galleryFields('a'), {});
    assert.deepEqual(store.galleryFields('c'), { issueScore: 0.8, suggestedLabel: 'COVID' });
  });

  it('adds a multi-label audit\'s suggested finding states, and drops them with the next audit', () => {
    const store = new PredictionStore();
    store.setLabelIssues({ scores: { a: 0.7, b: 0.5 }, suggestedLabels: {}, issueReasons: {}, suggestedFindings: { a: { finding: 'Edema', state: 'positive' }, b: { finding: 'Mass', state: 'negative', toResolve: true } } });
    assert.deepEqual(store.galleryFields('a'), { issueScore: 0.7, suggestedFinding: { finding: 'Edema', state: 'positive' } });
    assert.deepEqual(store.galleryFields('b'), { issueScore: 0.5, suggestedFinding: { finding: 'Mass', state: 'negative', toResolve: true } });
    const next = store.setLabelIssues({ scores: {}, suggestedLabels: {}, issueReasons: {}, suggestedFindings: {} });
    assert.deepEqual([...next].sort(), ['a', 'b']);
    assert.deepEqual(store.galleryFields('a'), {});
  });

  it('lists an item history through undo and moves', () => {
    const entry = (over: Partial<JournalEntry>): JournalEntry => ({
      version: 1, id: 'e', group: 'g', time: '2026-01-01T00:00:00Z', user: 'ann', kind: 'relabel', item: 'COVID/a.png', hash: null, old: 'COVID', new: 'NORMAL', ...over,
    });
    const entries = [
      entry({ id: '1' }),
      entry({ id: '2', item: 'other.png' }),
      entry({ id: '3', old: 'NORMAL', new: 'COVID', undoes: '1' }),
      entry({ id: '4', kind: 'move', old: 'COVID/a.png', new: 'NORMAL/a.png' }),
      entry({ id: '5', kind: 'flag', item: 'NORMAL/a.png', old: false, new: true, model: 'v2', confidence: 0.7 }),
    ];
    const history = historyOf(entries, 'NORMAL/a.png');
    assert.deepEqual(history.map((h) => h.kind), ['relabel', 'relabel', 'move', 'flag']);
    assert.equal(history[1].via, 'undo');
    assert.equal(history[3].model, 'v2');
  });
});
