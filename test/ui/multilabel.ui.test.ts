import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/runCli';
import { NIH14_DIR } from '../support/shared';
import { Workbench } from './workbench';

// Issue 14's first acceptance point: NIH's own folder (images/ + Data_Entry_2017.csv), opened as it is (a mirror),
// shows each image's findings on its tile.
describe('UI: a multi-label set in the gallery (NIH ChestX-ray14 as distributed)', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open(NIH14_DIR, { mirror: 'writable' });
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows each image with the findings NIH lists for it, and finds images by a finding', async () => {
    await workbench.runCommand('xrayCurator.openGallery');
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction(() => /Showing 321 of 321/.test(document.querySelector('.counts')?.textContent ?? ''));
    // NIH's row: 00000150_002.png,Atelectasis|Infiltration|Pneumonia
    const tile = gallery.locator('.tile[data-id="images/00000150_002.png"] .label');
    assert.equal(await tile.textContent(), 'Atelectasis · Infiltration · Pneumonia');
    const labels = await gallery.locator('.tile:not([hidden]) .label').allTextContents();
    assert.ok(labels.length > 0 && labels.every((text) => text !== 'unlabelled' && text !== ''), labels.join(' | '));
    await gallery.locator('input[type="search"], input[aria-label^="Search"]').first().fill('pneumonia');
    await gallery.waitForFunction(() => {
      const shown = [...document.querySelectorAll('.tile:not([hidden]) .label')];
      return shown.length > 0 && shown.every((node) => /Pneumonia/.test(node.textContent ?? ''));
    });
    assert.ok(fs.statSync(await workbench.screenshot('nih-gallery')).size > 10_000);
  });

  it('Export Curated Dataset writes a corrected finding back into NIH\'s own Data_Entry_2017.csv', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-ui-nih-export-'));
    try {
      const label = await runCli(['label', workbench.root, '--finding', 'images/00000150_002.png:Pneumonia=negative']);
      assert.equal(label.code, 0, label.stderr);
      await workbench.runCommand('xrayCurator.exportDataset');
      await workbench.answer(`${out}/`);
      assert.match(await workbench.notification(/written to/), /Data_Entry_2017\.csv written to .*, 1 records with curated findings/);
      const rows = fs.readFileSync(path.join(out, 'Data_Entry_2017.csv'), 'utf8').trim().split(/\r?\n/);
      assert.equal(rows.length, 322, 'the header and all 321 records');
      assert.match(rows.find((row) => row.startsWith('00000150_002.png,'))!, /^00000150_002\.png,Atelectasis\|Infiltration,/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('Retrain Model says plainly that the findings train from the command line, instead of failing on classes', async () => {
    await workbench.runCommand('xrayCurator.retrainModel');
    const text = await workbench.notification(/multi-label dataset/);
    assert.match(text, /nih14-multilabel is a multi-label dataset \(NIH findings\), and Retrain Model trains classes\. Train its findings with: xray-curator train/);
  });
});
