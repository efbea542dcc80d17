import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyJournalState, LabelJournal, openDataset, PREVIEW_ITEMS, readScanPreview, readScanSnapshot, saveScanSnapshot, ScanMerge, stateDirOf } from '../../../src/dataset';
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
    const merge = new ScanMerge(new Map(snapshot.items.map((item) => [item.id, item])));
    merge.add(rescanned.items);
    const merged = merge.finish(rescanned);
    assert.deepEqual(merged.changes, { added: ['NORMAL/added.png'], removed: [second.id], changed: [] });
    assert.deepEqual(merged.dataset.items.map((item) => item.id), rescanned.items.map((item) => item.id).sort(), "the scan's items, in id order");
    const unchanged = merged.dataset.items.find((item) => item.id === first.id);
    assert.equal(unchanged, snapshot.items.find((item) => item.id === first.id), "an unchanged item keeps the snapshot's object");
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
    const file = path.join(stateDirOf(root), 'scan-cache.jsonl');
    const [header, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.ok(await readScanSnapshot(root), 'the file as saved is read');
    fs.writeFileSync(file, [header, '{"id": "../escape.png"}', ...lines.slice(1)].join('\n'));
    assert.equal(await readScanSnapshot(root), null, 'an item outside the dataset');
    fs.writeFileSync(file, [header, ...lines.slice(1)].join('\n'));
    assert.equal(await readScanSnapshot(root), null, 'a file cut short');
    fs.writeFileSync(file, ['{"version": 1}', ...lines].join('\n'));
    assert.equal(await readScanSnapshot(root), null, 'another version');
    fs.writeFileSync(file, [header, '{not json', ...lines.slice(1)].join('\n'));
    assert.equal(await readScanSnapshot(root), null, 'a damaged line');
    fs.rmSync(file);
    assert.equal(await readScanSnapshot(root), null, 'no file');
  });
});
