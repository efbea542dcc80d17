import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
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
});
