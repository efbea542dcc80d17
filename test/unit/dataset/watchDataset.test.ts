import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LabelJournal, openDataset, watchDataset } from '../../../src/dataset';
import type { DatasetChanges } from '../../../src/dataset';
import { makeClassFolders, makeTempDir, pngBytes, removeTempDirs, writeFile } from './fixtures';

/** Resolves with the next batch of changes the watcher reports. */
function nextChange(queue: DatasetChanges[], waiters: ((changes: DatasetChanges) => void)[]): Promise<DatasetChanges> {
  const ready = queue.shift();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change reported within 10 s')), 10_000);
    waiters.push((changes) => {
      clearTimeout(timer);
      resolve(changes);
    });
  });
}

describe('watchDataset', () => {
  after(removeTempDirs);

  it('stops when its signal is aborted, before or while it lists the folder, and reports nothing after', async function () {
    this.timeout(30_000);
    const root = await makeTempDir('xray-watch-abort-');
    await makeClassFolders(root, { COVID: 2 });
    const dataset = await openDataset(root);
    const reported: DatasetChanges[] = [];
    const before = new AbortController();
    before.abort();
    await watchDataset(dataset, (changes) => reported.push(changes), { debounceMs: 50, signal: before.signal });
    const during = new AbortController();
    const watching = watchDataset(dataset, (changes) => reported.push(changes), { debounceMs: 50, signal: during.signal });
    during.abort();
    await watching;
    await writeFile(root, 'COVID/late.png', await pngBytes(80));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(reported, []);
  });

  it('reflects added, changed, removed and renamed images without a rescan', async function () {
    this.timeout(30_000);
    const root = await makeTempDir('xray-watch-');
    await makeClassFolders(root, { COVID: 2, NORMAL: 2 });
    const dataset = await openDataset(root);
    const journal = await LabelJournal.open(root);
    await journal.relabel(dataset.items[0], 'NORMAL');
    const queue: DatasetChanges[] = [];
    const waiters: ((changes: DatasetChanges) => void)[] = [];
    const watcher = await watchDataset(dataset, (changes) => (waiters.shift() ?? ((c) => queue.push(c)))(changes), {
      debounceMs: 100,
      journalState: () => journal.state,
    });
    try {
      await writeFile(root, 'NORMAL/new.png', await pngBytes(90));
      await fs.writeFile(path.join(root, 'NORMAL', 'notes.txt'), 'ignored');
      let changes = await nextChange(queue, waiters);
      assert.deepEqual(changes.added.map((item) => [item.id, item.label]), [['NORMAL/new.png', 'NORMAL']]);
      assert.match(changes.added[0].hash ?? '', /^[0-9a-f]{64}$/);
      assert.ok(dataset.items.some((item) => item.id === 'NORMAL/new.png'));

      await fs.writeFile(path.join(root, 'COVID', 'img1.png'), 'now text');
      changes = await nextChange(queue, waiters);
      assert.deepEqual(changes.changed.map((item) => item.id), ['COVID/img1.png']);
      assert.match(dataset.items.find((item) => item.id === 'COVID/img1.png')?.error ?? '', /content is text/);

      await fs.rename(path.join(root, 'NORMAL', 'img0.png'), path.join(root, 'COVID', 'moved.png'));
      changes = await nextChange(queue, waiters);
      assert.deepEqual(changes.renamed, [{ from: 'NORMAL/img0.png', to: 'COVID/moved.png' }]);
      assert.deepEqual(changes.removed, ['NORMAL/img0.png']);
      assert.equal(dataset.items.find((item) => item.id === 'COVID/moved.png')?.label, 'COVID');

      await fs.rm(path.join(root, 'NORMAL', 'img1.png'));
      changes = await nextChange(queue, waiters);
      assert.deepEqual(changes.removed, ['NORMAL/img1.png']);
      assert.deepEqual(dataset.items.map((item) => item.id).sort(), ['COVID/img0.png', 'COVID/img1.png', 'COVID/moved.png', 'NORMAL/new.png']);
      assert.equal(dataset.items.find((item) => item.id === 'COVID/img0.png')?.label, 'NORMAL', 'journal labels survive the update');

      await writeFile(root, 'PNEUMONIA/p.png', await pngBytes(91));
      changes = await nextChange(queue, waiters);
      assert.deepEqual(changes.added.map((item) => item.label), ['PNEUMONIA']);
      assert.deepEqual(dataset.classes, ['COVID', 'NORMAL', 'PNEUMONIA'], 'a new class folder adds a class');
    } finally {
      await watcher.close();
    }
  });
});
