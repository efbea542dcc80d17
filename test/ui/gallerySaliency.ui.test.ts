import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Frame } from 'playwright-core';
import { makeCxrSubset } from '../support/cxrSubset';
import { Workbench } from './workbench';

// A researcher trains a model, then asks the detail view where it found its evidence (Grad-CAM overlay).
describe('UI: the saliency overlay in the detail view', () => {
  let root: string;
  let workbench: Workbench;
  let gallery: Frame;

  before(async () => {
    root = makeCxrSubset(12);
    workbench = await Workbench.open(root, { settings: { 'xrayCurator.augmentViews': 1 } });
    gallery = await workbench.retrainAndOpenGallery();
  });

  after(async () => {
    await workbench?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('toggles Grad-CAM over the image; it follows zoom and names the class and model', async () => {
    const id = await gallery.locator('.tile').first().getAttribute('data-id');
    await gallery.locator('.tile').first().click();
    await workbench.page.keyboard.press('Enter');
    await gallery.locator('.detail').waitFor({ state: 'visible' });
    await gallery.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.detail img.full');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    assert.equal(await gallery.locator('.detail-title').textContent(), id);
    const toggle = gallery.locator('button.saliency');
    assert.ok(await toggle.isEnabled(), 'the toggle is enabled for a predicted item');
    await toggle.click();
    await gallery.waitForFunction(() => ['shown', 'error'].includes((document.querySelector<HTMLElement>('.detail')?.dataset.saliency) ?? ''), undefined, { timeout: 120_000 });
    assert.equal(await gallery.locator('.detail').getAttribute('data-saliency'), 'shown', (await gallery.locator('.saliency-info').textContent()) ?? '');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await toggle.textContent(), 'Hide saliency');
    const predicted = (await gallery.locator('.probability .name').first().textContent()) ?? '';
    assert.equal(await gallery.locator('.saliency-label').textContent(), `Grad-CAM for ${predicted} (model v1)`);
    assert.ok(await gallery.locator('.saliency-legend').isVisible());

    // Zoomed in by the wheel: the overlay keeps covering exactly the image.
    const stage = (await gallery.locator('.stage').boundingBox())!;
    await workbench.page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 3);
    await workbench.page.mouse.wheel(0, -200);
    const boxes = await gallery.evaluate(() => {
      const box = (selector: string): number[] => {
        const r = document.querySelector(selector)!.getBoundingClientRect();
        return [r.left, r.top, r.width, r.height].map((v) => Math.round(v));
      };
      return { image: box('.detail img.full'), overlay: box('.saliency-overlay') };
    });
    assert.deepEqual(boxes.overlay, boxes.image);
    await gallery.locator('.stage').dblclick();
    assert.ok(fs.statSync(await workbench.screenshot('gallery-detail')).size > 10_000);

    await toggle.click();
    assert.equal(await gallery.locator('.detail').getAttribute('data-saliency'), 'off');
    assert.ok(await gallery.locator('.saliency-overlay').isHidden());
  });
});
