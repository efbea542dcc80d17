import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import type { Frame } from 'playwright-core';
import { journalOnDisk } from '../support/journalOnDisk';
import { makeCxrSubset } from '../support/cxrSubset';
import { tilesInReadingOrder, Workbench } from './workbench';

// What to look at next, as a curator uses it: "more like this" from a tile finds a planted near-duplicate first, and
// the active-learning queue from the palette is walked by keyboard and ranked again by Retrain Model.
describe('UI: more like this and the active-learning queue', () => {
  let root: string;
  let workbench: Workbench;
  let gallery: Frame;
  let original: string;
  let copy: string;

  before(async () => {
    root = makeCxrSubset(12);
    // A near-duplicate: one COVID film resized to 70% and re-encoded as JPEG, in another folder under another name.
    original = fs.readdirSync(path.join(root, 'COVID')).sort()[3];
    original = `COVID/${original}`;
    copy = 'NORMAL/zz-planted-copy.jpg';
    const { width } = await sharp(path.join(root, original)).metadata();
    await sharp(path.join(root, original)).resize(Math.round(width! * 0.7)).jpeg({ quality: 70 }).toFile(path.join(root, copy));
    workbench = await Workbench.open(root, { settings: { 'xrayCurator.augmentViews': 1 } });
  });

  after(async () => {
    await workbench?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const bar = (): ReturnType<Frame['locator']> => gallery.locator('.item-list');
  const shownIds = (): Promise<string[]> => tilesInReadingOrder(gallery);
  const tile = (id: string): ReturnType<Frame['locator']> => gallery.locator(`.tile:not([hidden])[data-id="${id}"]`);
  const counts = (text: string): Promise<unknown> => gallery.waitForFunction((t) => (document.querySelector('.counts')?.textContent ?? '').includes(t), text);

  it('= on a tile shows it and the images most like it; the planted copy comes first; x shows every image again', async () => {
    gallery = await workbench.retrainAndOpenGallery();
    await gallery.locator('input.search').fill(path.basename(original));
    await tile(original).click();
    await workbench.page.keyboard.press('=');
    await bar().filter({ hasText: `24 images most like ${original} (embedding cosine)` }).waitFor();
    const ids = (await shownIds()).slice(0, 2);
    assert.deepEqual(ids, [original, copy], 'the image asked about, then its re-encoded, resized copy');
    assert.equal(await gallery.locator('input.search').inputValue(), '', 'the list replaces the filters');
    assert.match((await bar().textContent()) ?? '', /1 of 25: similarity 1\.000/);
    await workbench.page.keyboard.press('ArrowRight');
    assert.match((await bar().textContent()) ?? '', /2 of 25: similarity 0\.9\d\d/);
    await workbench.screenshot('more-like-this');
    await workbench.page.keyboard.press('x');
    await counts('Showing 37 of 37');
    assert.equal(await bar().isVisible(), false);
  });

  it('the detail view\'s More like this does the same', async () => {
    await tile(copy).dblclick();
    await gallery.locator('.detail:not([hidden])').waitFor();
    await gallery.getByRole('button', { name: 'More like this (=)' }).click();
    await bar().filter({ hasText: `24 images most like ${copy} (embedding cosine)` }).waitFor();
    assert.equal(await gallery.locator('.detail').isHidden(), true, 'the detail view closes onto the list');
    assert.deepEqual((await shownIds()).slice(0, 2), [copy, original]);
    await workbench.page.keyboard.press('x');
  });

  it('Next Images to Label queues the unreviewed images by uncertainty; 1 labels and moves on; Retrain ranks it again without it', async () => {
    await workbench.runCommand('X-Ray Curator: Next Images to Label (Active Learning)');
    await workbench.pick('Uncertainty');
    await bar().filter({ hasText: 'Next to label by uncertainty under model v1: 37 of 37 not yet reviewed images' }).waitFor();
    await counts('Showing 37 of 37');
    const queue = await shownIds();
    // One tile after the other (clicks made at once interleave): the bar follows the focus on the next frame, so
    // it is read once it names the position clicked.
    const scores: number[] = [];
    for (const i of [0, 1, 2]) {
      await tile(queue[i]).click();
      const line = bar().filter({ hasText: new RegExp(`\\b${i + 1} of \\d+: uncertainty`) });
      await line.waitFor();
      scores.push(Number(/uncertainty (\d\.\d+)/.exec((await line.textContent()) ?? '')?.[1]));
    }
    assert.ok(scores[0] >= scores[1] && scores[1] >= scores[2], `most uncertain first: ${scores.join(', ')}`);
    await tile(queue[0]).click();
    await workbench.page.keyboard.press('1');
    await gallery.waitForFunction(() => document.body.dataset.pending === '0');
    assert.equal(await gallery.locator('.tile.focused').getAttribute('data-id'), queue[1], 'the focus moved to the next in the queue');
    const last = journalOnDisk<{ kind: string; item: string; new: unknown }>(path.join(root, '.xray-curator')).at(-1);
    assert.deepEqual([last?.kind, last?.item, last?.new], ['relabel', queue[0], 'COVID']);

    await workbench.runCommand('X-Ray Curator: Retrain Model');
    await workbench.notification(/model v2 trained/);
    await bar().filter({ hasText: 'under model v2: 36 of 36 not yet reviewed images' }).waitFor({ timeout: 60_000 });
    await counts('Showing 36 of 37');
    const ranked = await shownIds();
    assert.ok(!ranked.includes(queue[0]), 'the image just labelled has left the queue');
    await workbench.screenshot('next-to-label');
  });
});
