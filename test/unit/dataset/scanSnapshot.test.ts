import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyJournalState, LabelJournal, openDataset, PREVIEW_ITEMS, readScanPreview, readScanSnapshot, saveScanSnapshot, scanDifferences, stateDirOf } from '../../../src/dataset';
import { makeCxrSubset } from '../../support/cxrSubset';

describe('scan snapshot: reopening shows the last scan at once', () => {
  let root: string;
  beforeEach(() => {
    root = makeCxrSubset(3);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives back the scanned items with the journal applied on top, and finds what changed since', async () => {
    const scanned = await openDataset(root);
    assert.equal(await saveScanSnapshot(scanned), null);
    const journal = await LabelJournal.open(root, { user: 'tester' });
    const [first, second] = scanned.items;
    await journal.record([{ kind: 'relabel', item: first, value: 'NORMAL' }]);

    const saved = await readScanSnapshot(root);
    assert.ok(saved);
    const snapshot = saved.dataset;
    assert.equal(snapshot.items.length, scanned.items.length);
    const restored = snapshot.items.find((item) => item.id === second.id)!;
    assert.deepEqual({ ...restored }, { ...second, label: second.sourceLabel, flagged: false });
    applyJournalState(snapshot, journal.state);
    assert.equal(snapshot.items.find((item) => item.id === first.id)?.label, 'NORMAL');

    fs.rmSync(second.absPath);
    fs.copyFileSync(path.join(root, first.id), path.join(root, 'NORMAL', 'added.png'));
    const rescanned = await openDataset(root);
    assert.deepEqual(scanDifferences(snapshot, rescanned), { added: ['NORMAL/added.png'], removed: [second.id], changed: [] });
  });

  it('keeps a preview of the first items in id order, with the counts of all and the save it belongs to', async () => {
    const scanned = await openDataset(root);
    await saveScanSnapshot(scanned);
    const preview = await readScanPreview(root);
    const saved = await readScanSnapshot(root);
    assert.ok(preview && saved);
    assert.equal(preview.savedAt, saved.savedAt);
    assert.equal(preview.total, 9);
    assert.deepEqual(preview.counts, { COVID: 3, NORMAL: 3, PNEUMONIA: 3 });
    const ids = scanned.items.map((item) => item.id).sort();
    assert.deepEqual(preview.dataset.items.map((item) => item.id), ids.slice(0, PREVIEW_ITEMS));
    assert.deepEqual(saved.dataset.items.map((item) => item.id), ids, 'the snapshot is in id order too');
  });

  it('is ignored when damaged or of another version', async () => {
    await saveScanSnapshot(await openDataset(root));
    const file = path.join(stateDirOf(root), 'scan-cache.json');
    fs.writeFileSync(file, '{"version": 1, "dataset": {"items": [{"id": "../escape.png"}], "classes": []}}');
    assert.equal(await readScanSnapshot(root), null);
    fs.writeFileSync(file, '{"version": 99}');
    assert.equal(await readScanSnapshot(root), null);
    fs.writeFileSync(file, '{not json');
    assert.equal(await readScanSnapshot(root), null);
  });
});
