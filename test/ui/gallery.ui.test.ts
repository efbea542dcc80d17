import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CXR_DIR } from '../support/shared';
import { Workbench } from './workbench';

describe('UI: the gallery in the VS Code workbench', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open(CXR_DIR, { mirror: 'writable' });
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens from the command palette and shows X-ray tiles with their labels', async () => {
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('.tile:not([hidden]) img')];
      return images.length > 0 && images.slice(0, 8).every((img) => img.complete && img.naturalWidth > 0);
    });
    // Items come in pages, and the scan's result replaces the provisional listing: every item is there in the end.
    await gallery.waitForFunction(() => document.querySelector('.counts')?.textContent?.startsWith('Showing 1,502 of 1,502'), undefined, { timeout: 60_000 });
    const counts = await gallery.locator('.counts').textContent();
    assert.match(counts ?? '', /COVID 502 · NORMAL 500 · PNEUMONIA 500/);
    const labels = await gallery.locator('.tile:not([hidden]) .label').allTextContents();
    assert.ok(labels.length >= 4, `only ${labels.length} tiles visible`);
    assert.ok(labels.every((label) => ['COVID', 'NORMAL', 'PNEUMONIA'].includes(label)), labels.join(','));
    const file = await workbench.screenshot('gallery');
    assert.ok(fs.statSync(file).size > 10_000);
  });

  it('keeps only the visible rows in the DOM and fills others on scroll', async () => {
    const gallery = await workbench.webviewFrame('.tile img');
    const before = await gallery.locator('.tile:not([hidden])').count();
    assert.ok(before < 200, `${before} tiles in the DOM for 1502 items: the grid is not virtual`);
    const firstId = await gallery.locator('.tile:not([hidden])').first().getAttribute('data-id');
    await gallery.locator('.grid-host').evaluate((host) => host.scrollTo(0, host.scrollHeight));
    await gallery.waitForFunction((id) => {
      const tiles = [...document.querySelectorAll<HTMLElement>('.tile:not([hidden])')];
      return tiles.length > 0 && !tiles.some((tile) => tile.dataset.id === id);
    }, firstId);
    const lastTiles = await gallery.locator('.tile:not([hidden])').evaluateAll((tiles) => tiles.map((tile) => (tile as HTMLElement).dataset.id));
    assert.ok(lastTiles.some((id) => id?.startsWith('PNEUMONIA/')), 'the bottom of the grid should show the last class');
  });
});
