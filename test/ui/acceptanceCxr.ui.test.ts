import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { journalOnDisk } from '../support/journalOnDisk';
import { CXR_DIR } from '../support/shared';
import { Workbench } from './workbench';

interface JournalLine {
  kind: string;
  item: string;
  new: unknown;
  model?: string;
  undoes?: string;
}

// Issue 5's acceptance as a user runs it: the shared chest X-rays as a read-only reference share (a read-only mirror),
// a model trained from the palette with the built-in backbone, then keyboard curation in the gallery and the detail
// view with its Grad-CAM overlay. The folder stays untouched: its journal lives in the stand-in state folder under the
// (isolated) user cache.
describe('UI: curating the shared chest X-rays with a trained model', () => {
  let workbench: Workbench;
  let gallery: Frame;
  const classes = ['COVID', 'NORMAL', 'PNEUMONIA'];

  const journal = (): JournalLine[] => {
    const datasets = path.join(workbench.host.cacheDir, 'xray-curator', 'datasets');
    const folder = fs.readdirSync(datasets).find((name) => name.startsWith(`${path.basename(workbench.root)}-`));
    return folder ? journalOnDisk<JournalLine>(path.join(datasets, folder)) : [];
  };
  const settled = (): Promise<unknown> => gallery.waitForFunction(() => document.body.dataset.pending === '0');

  before(async () => {
    workbench = await Workbench.open(CXR_DIR, { mirror: 'read-only', settings: { 'xrayCurator.augmentViews': 1 } });
    gallery = await workbench.retrainAndOpenGallery();
  });

  after(async () => {
    await workbench?.close();
  });

  it('filters to misclassified, relabels one by keyboard, flags another, undoes; the journal follows', async () => {
    await gallery.locator('select[aria-label="Correct or misclassified"]').selectOption({ index: 2 }); // ✗ Misclassified
    await gallery.waitForFunction(() => {
      const tiles = [...document.querySelectorAll('.tile:not([hidden])')];
      return tiles.length > 0 && tiles.every((t) => t.classList.contains('disagree'));
    });
    const first = gallery.locator('.tile:not([hidden])').first();
    const id = (await first.getAttribute('data-id'))!;
    const label = (await first.locator('.label').textContent())!;
    const target = classes.find((c) => c !== label)!;
    await first.click();
    await workbench.page.keyboard.press(String(classes.indexOf(target) + 1));
    await settled();
    const second = (await gallery.locator('.tile.focused').getAttribute('data-id'))!;
    assert.notEqual(second, id, 'the focus moved on');
    await workbench.page.keyboard.press('f');
    await gallery.locator(`.tile[data-id="${second}"] .badge.flag`).waitFor();
    await settled();
    await workbench.page.keyboard.press('u');
    await gallery.waitForFunction((sel) => !document.querySelector(sel), `.tile[data-id="${second}"] .badge.flag:not([hidden])`);
    await settled();
    const lines = journal();
    assert.deepEqual(
      lines.map((l) => [l.kind, l.item, l.new]),
      [
        ['relabel', id, target],
        ['flag', second, true],
        ['unflag', second, false],
      ],
    );
    assert.deepEqual(lines.slice(0, 2).map((l) => l.model), ['v1', 'v1'], 'the model version shown is recorded with each edit');
    assert.ok(lines[2].undoes, 'the unflag is an undo of the flag');
    assert.ok(!fs.existsSync(path.join(workbench.root, '.xray-curator')), 'nothing was written into the read-only folder');
    assert.ok(fs.statSync(await workbench.screenshot('cxr-grid')).size > 10_000);
  });

  it('opens the detail view with the Grad-CAM overlay of the trained model', async () => {
    await gallery.locator('.tile:not([hidden])').first().click();
    await workbench.page.keyboard.press('Enter');
    await gallery.locator('.detail').waitFor({ state: 'visible' });
    await gallery.locator('button.saliency').click();
    await gallery.waitForFunction(() => ['shown', 'error'].includes(document.querySelector<HTMLElement>('.detail')?.dataset.saliency ?? ''), undefined, { timeout: 120_000 });
    assert.equal(await gallery.locator('.detail').getAttribute('data-saliency'), 'shown', (await gallery.locator('.saliency-info').textContent()) ?? '');
    assert.match((await gallery.locator('.saliency-label').textContent()) ?? '', /^Grad-CAM for (COVID|NORMAL|PNEUMONIA) \(model v1\)$/);
    assert.ok(fs.statSync(await workbench.screenshot('cxr-detail')).size > 10_000);
  });
});
