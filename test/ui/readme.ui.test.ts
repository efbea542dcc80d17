import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../host/vscodeHost';
import { Workbench } from './workbench';

// The README's first picture: the shipped demo's real chest X-rays (a mirror of demo-dataset/), a model trained on
// them with the built-in backbone, the gallery with its predictions (docs/gallery.png under `npm run docs`).
describe('UI: the README screenshot on the shipped demo dataset', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open(path.join(PROJECT_ROOT, 'demo-dataset'), { mirror: 'writable', settings: { 'xrayCurator.augmentViews': 1 } });
  });

  after(async () => {
    await workbench?.close();
  });

  it('trains on the demo and shows a prediction with agree/disagree frames on every visible tile', async () => {
    const gallery = await workbench.retrainAndOpenGallery();
    await gallery.waitForFunction(() => {
      const tiles = [...document.querySelectorAll('.tile:not([hidden])')];
      return tiles.length >= 8 && tiles.every((tile) => tile.querySelector('.agree-icon, .disagree-icon') && tile.querySelector('.predicted')?.textContent);
    });
    await gallery.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.tile:not([hidden]) img')].slice(0, 8).every((img) => img.complete && img.naturalWidth > 0));
    await workbench.page.locator('.notifications-toasts .codicon-notifications-clear').first().click().catch(() => undefined);
    const file = await workbench.screenshot('readme-gallery', { docs: 'gallery.png' });
    assert.ok(fs.statSync(file).size > 20_000);
  });
});
