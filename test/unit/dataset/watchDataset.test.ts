import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LabelJournal, openDataset, watchDataset } from '../../../src/dataset';
import { foldersOf, watchFolders } from '../../../src/dataset/folderWatch';
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

describe('watchFolders: one watch per folder, not per file', () => {
  after(removeTempDirs);

  it('reports entries of the folders it was given and of folders made later, removals too, and keeps to its limit', async function () {
    this.timeout(30_000);
    const root = await makeTempDir('xray-folders-');
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    const seen = new Set<string>();
    const waitFor = async (relative: string): Promise<void> => {
      for (let waited = 0; !seen.has(relative); waited += 20) {
        if (waited > 10_000) throw new Error(`${relative} not reported within 10 s (saw ${[...seen].join(', ')})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const watch = watchFolders(root, foldersOf(['COVID/img0.png', 'NORMAL/img0.png']), (relative) => seen.add(relative), { ignored: (relative) => relative.startsWith('.') });
    try {
      assert.equal(watch.unwatched, 0);
      await writeFile(root, 'COVID/new.png', await pngBytes(92));
      await waitFor('COVID/new.png');
      // A folder tree moved in at once: its files were there before any watch on it.
      const outside = await makeTempDir('xray-folders-outside-');
      await writeFile(outside, 'PNEUMONIA/deep/p.png', await pngBytes(93));
      await fs.rename(path.join(outside, 'PNEUMONIA'), path.join(root, 'PNEUMONIA'));
      await waitFor('PNEUMONIA/deep/p.png');
      await writeFile(root, 'PNEUMONIA/deep/later.png', await pngBytes(94));
      await waitFor('PNEUMONIA/deep/later.png');
      await fs.rm(path.join(root, 'NORMAL'), { recursive: true });
      await waitFor('NORMAL');
      await fs.mkdir(path.join(root, '.hidden'));
      await fs.writeFile(path.join(root, '.hidden', 'x.png'), 'x');
      await writeFile(root, 'COVID/last.png', await pngBytes(95));
      await waitFor('COVID/last.png');
      assert.ok(![...seen].some((relative) => relative.startsWith('.hidden')), 'ignored entries are not reported');
    } finally {
      watch.close();
    }
    const limited = watchFolders(root, foldersOf(['COVID/a.png', 'PNEUMONIA/deep/p.png']), () => undefined, { ignored: () => false, max: 2 });
    assert.equal(limited.unwatched, 2, 'the root and COVID are watched; PNEUMONIA and PNEUMONIA/deep are not');
    limited.close();
  });

  it('a removed folder takes its items out of the dataset', async function () {
    this.timeout(30_000);
    const root = await makeTempDir('xray-watch-folder-');
    await makeClassFolders(root, { COVID: 2, NORMAL: 2 });
    const dataset = await openDataset(root);
    let reported: DatasetChanges | undefined;
    const watcher = await watchDataset(dataset, (changes) => (reported = changes), { debounceMs: 100 });
    try {
      await fs.rm(path.join(root, 'NORMAL'), { recursive: true });
      for (let waited = 0; !reported && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(reported?.removed.sort(), ['NORMAL/img0.png', 'NORMAL/img1.png']);
      assert.deepEqual(dataset.items.map((item) => item.id).sort(), ['COVID/img0.png', 'COVID/img1.png']);
    } finally {
      await watcher.close();
    }
  });
});
