import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatasetItem } from '../../../src/dataset';
import { GalleryLoader } from '../../../src/host/galleryLoader';
import type { ScanChanges } from '../../../src/host/galleryLoader';
import { ItemPager } from '../../../src/host/itemPages';
import type { ItemsPageEvent, ScanProgress } from '../../../src/shared/protocol';
import { makeCxrSubset } from '../../support/cxrSubset';

function open(root: string, partSize?: number): { loader: GalleryLoader; scans: (ScanChanges | 'all')[]; progress: (ScanProgress | undefined)[]; events: string[] } {
  const scans: (ScanChanges | 'all')[] = [];
  const progress: (ScanProgress | undefined)[] = [];
  const events: string[] = [];
  const loader = new GalleryLoader(root, 'tester', {
    restArrived: () => events.push('rest arrived'),
    scanned: (changes) => {
      events.push('scanned');
      scans.push(changes);
    },
    progress: (scan) => progress.push(scan),
  }, undefined, partSize);
  return { loader, scans, progress, events };
}

describe('gallery loader: images before the scan', () => {
  let root: string;
  before(() => {
    root = makeCxrSubset(4);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('first open: shows the folder listing (provisional, no hashes), then the scan replaces everything', async () => {
    const { loader, scans, progress } = open(root);
    await loader.first;
    const first = loader.shown!;
    assert.equal(first.items.length, 12);
    assert.ok(first.items.every((item) => item.hash === null && item.label === item.id.split('/')[0]), 'provisional items carry folder labels, no hashes');
    assert.deepEqual(first.classes, ['COVID', 'NORMAL', 'PNEUMONIA']);
    await loader.scanned;
    assert.ok(loader.current!.dataset.items.every((item) => item.hash !== null));
    assert.deepEqual(scans, ['all']);
    assert.equal(progress.at(-1), undefined, 'the last progress event says the scan ended');
    assert.equal(loader.scan, undefined);
  });

  it('first open of a listing in several parts: paints the first part with the whole listing\'s total, counts and classes', async () => {
    const fresh = makeCxrSubset(4);
    try {
      const { loader, events } = open(fresh, 5);
      await loader.first;
      assert.equal(loader.shown!.items.length, 5, 'the first part');
      assert.deepEqual(loader.preview, { total: 12, counts: { COVID: 4, NORMAL: 4, PNEUMONIA: 4 } });
      assert.deepEqual(loader.shown!.classes, ['COVID', 'NORMAL', 'PNEUMONIA'], 'every class, not just the first part\'s');
      await loader.scanned;
      assert.equal(events[0], 'rest arrived', 'the rest of the listing, before the scan');
      assert.equal(loader.current!.dataset.items.length, 12);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('reopen: shows the snapshot, takes edits before the scan ends, and the scan finds what changed on disk', async () => {
    const added = path.join(root, 'COVID', 'zz-added.png');
    fs.copyFileSync(fs.readdirSync(path.join(root, 'NORMAL')).map((f) => path.join(root, 'NORMAL', f))[0], added);
    const { loader, scans, events } = open(root);
    await loader.first;
    loader.shownFirst();
    const first = loader.shown!;
    assert.equal(first.items.length, 12, 'the preview of the last scan, without the file added since');
    assert.equal(loader.preview?.total, 12);
    assert.ok(first.items.every((item) => item.hash !== null));
    assert.equal(loader.scan?.phase, 'checking');
    await loader.usable;
    const usable = loader.current!;
    await usable.journal.record([{ kind: 'flag', item: usable.byId.get(first.items[0].id)! }]);
    await loader.scanned;
    const scanned = loader.current!;
    assert.deepEqual(scans, [{ added: ['COVID/zz-added.png'], removed: [], changed: [] }]);
    assert.deepEqual(events, ['rest arrived', 'scanned']);
    assert.equal(loader.preview, undefined);
    assert.equal(scanned.dataset.items.find((item) => item.id === first.items[0].id)?.flagged, true, 'the edit made on the snapshot holds after the scan');
    fs.rmSync(added);
  });

  it("reopen of a folder unchanged since its snapshot: the check only walks it, the snapshot's items stay", async () => {
    // The scan after the removal above saved a snapshot of the folder as it is now.
    await open(root).loader.scanned;
    const { loader, scans } = open(root);
    await loader.first;
    loader.shownFirst();
    await loader.usable;
    const snapshotItems = loader.current!.dataset.items;
    await loader.scanned;
    assert.deepEqual(scans, [{ added: [], removed: [], changed: [] }]);
    assert.equal(loader.current!.dataset.items, snapshotItems, 'the same items, not a second dataset');
  });

  it('fails every promise with the reason when the folder is gone', async () => {
    const { loader } = open(path.join(root, 'no-such-folder'));
    await assert.rejects(loader.first, /dataset folder not found/);
    await assert.rejects(loader.usable, /dataset folder not found/);
  });
});

describe('item pager: pages in id order, patches held until the last page', () => {
  const items = Array.from({ length: 25_000 }, (_, i): DatasetItem => ({ id: `c/${String(24_999 - i).padStart(5, '0')}.png`, absPath: '', sourceLabel: 'c', label: 'c', flagged: false, hash: null, metadata: {} }));

  it('starts a generation from a preview and sends the rest once all items are there', async () => {
    const pages: ItemsPageEvent[] = [];
    const pager = new ItemPager((page) => pages.push(page), (item) => ({ id: item.id, label: item.label, flagged: item.flagged }), () => undefined);
    const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
    const first = pager.start(sorted.slice(0, 600), 25_000);
    assert.equal(first.total, 25_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(pages.length, 0, 'nothing more until the items are there');
    assert.equal(pager.hold(['x'], []), true, 'patches wait for the pages');
    pager.continue(sorted);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(first.items.length + pages.reduce((n, page) => n + page.items.length, 0), 25_000);
    assert.equal(pages[0].items[0].id, sorted[600].id);

    // A first part smaller than a first page: the rest starts where it ended.
    pages.length = 0;
    const small = pager.start(sorted.slice(0, 5), 25_000);
    pager.continue(sorted);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(small.items.length, 5);
    assert.equal(pages[0].items[0].id, sorted[5].id);
    assert.equal(small.items.length + pages.reduce((n, page) => n + page.items.length, 0), 25_000);
  });

  it('sends a small first page, then the rest, and flushes held patches after the last', async () => {
    const pages: ItemsPageEvent[] = [];
    const flushed: string[][] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const pager = new ItemPager(
      (page) => pages.push(page),
      (item) => ({ id: item.id, label: item.label, flagged: item.flagged }),
      (ids, removed) => {
        flushed.push([...ids, ...removed]);
        done();
      },
    );
    const first = pager.start(items);
    assert.equal(first.total, 25_000);
    assert.ok(first.items.length < 1000);
    assert.equal(first.items[0].id, 'c/00000.png', 'sorted by id');
    assert.equal(pager.hold(['c/00001.png'], ['c/00002.png']), true);
    await finished;
    const all = [...first.items, ...pages.flatMap((page) => page.items)].map((item) => item.id);
    assert.equal(all.length, 25_000);
    assert.ok(all.every((id, i) => i === 0 || all[i - 1] < id));
    assert.ok(pages.every((page) => page.generation === first.generation));
    assert.deepEqual(flushed, [['c/00001.png', 'c/00002.png']]);
    assert.equal(pager.hold(['x'], []), false, 'after the last page patches go at once');
  });
});
