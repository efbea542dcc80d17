import * as assert from 'node:assert/strict';
import { applyFilter, DEFAULT_FILTER } from '../../../src/webview/gallery/filters';
import { labelText } from '../../../src/webview/gallery/tile';
import type { GalleryItem } from '../../../src/shared/protocol';

const nih = (id: string, positive: string[], uncertain: string[] = []): GalleryItem => ({ id, label: null, flagged: false, findings: { positive, uncertain } });

describe('gallery tiles of multi-label items', () => {
  it('show the positive findings, the uncertain ones marked, or "No finding"; a class label otherwise', () => {
    assert.deepEqual(labelText(nih('a.png', ['Atelectasis', 'Pneumonia'], ['Edema'])), { text: 'Atelectasis · Pneumonia · Edema?', unlabelled: false });
    assert.deepEqual(labelText(nih('b.png', [])), { text: 'No finding', unlabelled: false });
    assert.deepEqual(labelText({ id: 'c.png', label: 'COVID', flagged: false }), { text: 'COVID', unlabelled: false });
    assert.deepEqual(labelText({ id: 'd.png', label: null, flagged: false }), { text: 'unlabelled', unlabelled: true });
  });

  it('are found by searching a finding', () => {
    const items = [nih('images/1.png', ['Pneumonia']), nih('images/2.png', ['Effusion'], ['Pneumonia']), nih('images/3.png', ['Effusion'])];
    assert.deepEqual(applyFilter(items, { ...DEFAULT_FILTER, search: 'pneumonia' }).map((item) => item.id), ['images/1.png', 'images/2.png']);
  });
});
