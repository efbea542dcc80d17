import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compactItem } from '../../../src/dataset/compactItem';
import { itemPaths, sharedItemPaths } from '../../../src/dataset/safePath';
import type { DatasetItem } from '../../../src/dataset';

describe('compactItem and sharedItemPaths: items from a worker rebuilt in one layout', () => {
  const scanned = { id: 'COVID/a.png', sourceLabel: 'COVID', hash: 'ab'.repeat(32), metadata: { source: 'x' }, format: 'png', width: 10, height: 12 };

  it('labels a scanned item by its source until the journal is applied, and keeps the journal\'s fields when given', () => {
    assert.deepEqual(compactItem(scanned, '/d/COVID/a.png'), { ...scanned, absPath: '/d/COVID/a.png', label: 'COVID', flagged: false });
    const edited: DatasetItem = { ...scanned, absPath: '/d/COVID/a.png', label: null, flagged: true, note: 'check', error: 'unreadable' };
    assert.deepEqual(compactItem(edited, edited.absPath), edited);
  });

  it('gives the root-joined path for a path under the root, and any other path as it is', () => {
    const root = path.resolve('/data/cxr');
    const pathOf = sharedItemPaths(root);
    assert.equal(pathOf('COVID/a.png', `${root}/COVID/a.png`), itemPaths(root)('COVID/a.png'));
    assert.equal(pathOf('COVID/a.png', '/elsewhere/COVID/a.png'), '/elsewhere/COVID/a.png');
    assert.equal(pathOf('COVID/a.png', `${root}/COVID/b.png`), `${root}/COVID/b.png`);
    assert.equal(pathOf('a.png', `${root}/x/a.png`), `${root}/x/a.png`, 'same ends, another folder between');
  });
});
