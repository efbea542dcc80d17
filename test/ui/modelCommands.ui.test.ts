import * as assert from 'node:assert/strict';
import { CXR_DIR } from '../support/shared';
import { Workbench } from './workbench';

// The whole loop a researcher runs on (a mirror of) the shared chest X-ray folder, from the command palette, with the
// built-in backbone and no setting.
describe('UI: Score, Retrain and the metrics report from the command palette', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open(CXR_DIR, { mirror: 'writable', settings: { 'xrayCurator.augmentViews': 1 } });
  });

  after(async () => {
    await workbench?.close();
  });

  it('Score Dataset embeds all 1,502 images and says no model exists yet', async () => {
    await workbench.runCommand('X-Ray Curator: Score Dataset');
    const text = await workbench.notification(/images embedded/);
    assert.match(text, /1502 images embedded \((wasm|tensorflow)/);
    assert.match(text, /no model yet/);
  });

  it('Retrain Model trains v1 and the status bar shows its balanced accuracy', async () => {
    await workbench.runCommand('X-Ray Curator: Retrain Model');
    const text = await workbench.notification(/model v1 trained/);
    assert.match(text, /validation balanced accuracy \d+\.\d%/);
    const status = await workbench.statusBarText('xray-curator.xray-curator.xrayCurator.model');
    assert.match(status, /v1 · BA \d+\.\d%/);
  });

  it('Open Report shows the confusion matrix and ROC curves in a webview', async () => {
    const toast = workbench.page.locator('.notifications-toasts .notification-list-item', { hasText: /model v1 trained/ }).first();
    await toast.getByRole('button', { name: 'Open Report' }).click();
    const report = await workbench.webviewFrame('svg');
    const text = (await report.locator('body').textContent()) ?? '';
    assert.match(text, /Confusion matrix/);
    assert.match(text, /ROC/);
    assert.match(text, /COVID/);
    assert.ok((await report.locator('svg').count()) >= 3, 'heat map, ROC and PR plots');
    await workbench.screenshot('report', { docs: 'report.png' });
  });
});
