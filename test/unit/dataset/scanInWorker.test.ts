import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openDataset, readScanSnapshot, ScanMerge, scanInWorker } from '../../../src/dataset';
import type { DatasetItem } from '../../../src/dataset';
import { makeCxrSubset } from '../../support/cxrSubset';

describe('scanInWorker: the scan in a worker thread, its items in parts', () => {
  let root: string;
  before(() => {
    root = makeCxrSubset(4);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives the listing and then the scanned items part by part, the same dataset openDataset gives', async () => {
    const listed: DatasetItem[][] = [];
    const parts: DatasetItem[][] = [];
    const scan = await scanInWorker(root, {
      partSize: 5,
      onListed: (items, last) => listed.push(last ? [...items, { id: 'last' } as DatasetItem] : items),
      onItems: (items) => parts.push(items),
    });
    scan.end();
    assert.deepEqual(parts.map((part) => part.length), [5, 5, 2], 'twelve items in parts of five');
    assert.deepEqual(listed.map((part) => part.length), [5, 5, 3], 'the listing too, the last part marked');
    assert.ok(listed.flat().every((item) => item.id === 'last' || item.hash === null), 'listed items are provisional');
    const direct = await openDataset(root, { fingerprint: true });
    const merge = new ScanMerge();
    for (const part of parts) merge.add(part);
    assert.notEqual(scan.dataset, 'unchanged');
    const { dataset } = merge.finish(scan.dataset as Exclude<typeof scan.dataset, 'unchanged'>);
    assert.deepEqual({ ...dataset, items: dataset.items.map((item) => ({ ...item })) }, { ...direct, items: direct.items.map((item) => ({ ...item })) });
  });

  it('saves the snapshot only when asked, and a cancelled scan rejects with the reason', async () => {
    fs.rmSync(`${root}/.xray-curator/scan-cache.jsonl`, { force: true });
    const unsaved = await scanInWorker(root, { onItems: () => undefined });
    unsaved.end();
    assert.equal(await readScanSnapshot(root), null, 'ended without saving');
    const saved = await scanInWorker(root, { onItems: () => undefined });
    assert.equal(await saved.saveSnapshot(), null);
    assert.equal((await readScanSnapshot(root))?.dataset.items.length, 12);

    const controller = new AbortController();
    controller.abort(new Error('the gallery was closed'));
    await assert.rejects(scanInWorker(root, { signal: controller.signal, onItems: () => undefined }), /the gallery was closed/);
    await assert.rejects(
      scanInWorker(root, {
        onItems: () => {
          throw new Error('a callback failed');
        },
      }),
      /a callback failed/,
    );
  });

  it('lets go of its callbacks (and the items they hold) once it ended, also when the gallery closed during the save', async () => {
    // A gallery closed while its snapshot was saved used to keep all its items for the cancel's 5 s grace period.
    const controller = new AbortController();
    const held = await (async () => {
      const items = { note: 'what the gallery holds' };
      const scan = await scanInWorker(root, { signal: controller.signal, onItems: () => void items });
      const saving = scan.saveSnapshot();
      controller.abort(new Error('the gallery was closed'));
      await saving;
      return new WeakRef(items);
    })();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let k = 0; k < 20 && held.deref(); k++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      gc();
    }
    assert.equal(held.deref(), undefined, 'the ended scan still holds its callbacks');
  });
});
