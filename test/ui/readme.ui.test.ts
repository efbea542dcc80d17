import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDemoDataset } from '../../scripts/makeDemoDataset';
import { BACKBONE_DIR, requireShared } from '../support/shared';
import { Workbench } from './workbench';

// The README's picture: the generated demo dataset (no patient images), a model trained on it, the gallery.
describe('UI: the README screenshot on the demo dataset', () => {
  let workbench: Workbench;
  let root: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-demo-'));
    await makeDemoDataset(root);
    workbench = await Workbench.open(root, { settings: { 'xrayCurator.backbone': requireShared(BACKBONE_DIR), 'xrayCurator.augmentViews': 1 } });
  });

  after(async () => {
    await workbench?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('trains on the demo dataset and shows predictions with agree/disagree frames', async () => {
    await workbench.runCommand('X-Ray Curator: Retrain Model');
    await workbench.notification(/model v1 trained/);
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction(() => document.querySelectorAll('.tile:not([hidden]) .agree-icon, .tile:not([hidden]) .disagree-icon').length > 0, undefined, { timeout: 60_000 });
    await gallery.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.tile:not([hidden]) img')].slice(0, 8).every((img) => img.complete && img.naturalWidth > 0));
    await workbench.page.locator('.notifications-toasts .codicon-notifications-clear').first().click().catch(() => undefined);
    const file = await workbench.screenshot('readme-gallery');
    assert.ok(fs.statSync(file).size > 20_000);
  });
});
