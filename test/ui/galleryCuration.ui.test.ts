import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { openDataset } from '../../src/dataset';
import { journalOnDisk } from '../support/journalOnDisk';
import { makeCxrSubset } from '../support/cxrSubset';
import { Workbench } from './workbench';

interface JournalLine {
  group: string;
  kind: string;
  item: string;
  new: unknown;
  model?: string;
  undoes?: string;
}

/**
 * Predictions in the format the ML jobs write (`.xray-curator/predictions/vN.json`), standing in for a trained model
 * so the test knows which items are misclassified: v1 predicts every label; v2 gets the first two COVID images and
 * the first PNEUMONIA image wrong, so those three are misclassified and "changed by the last retrain".
 */
async function writePredictions(root: string): Promise<string[]> {
  const classes = ['COVID', 'NORMAL', 'PNEUMONIA'];
  const items = (await openDataset(root)).items;
  const wrong = [...items.filter((i) => i.label === 'COVID').slice(0, 2), items.find((i) => i.label === 'PNEUMONIA')!].map((i) => i.id);
  const predict = (id: string, label: string): { id: string; probs: number[]; predicted: string; confidence: number; margin: number; entropy: number } => {
    const probs = classes.map((c) => (c === label ? 0.8 : 0.1));
    return { id, probs, predicted: label, confidence: 0.8, margin: 0.7, entropy: 0.58 };
  };
  const file = (version: number, wrongIds: readonly string[]): string =>
    JSON.stringify({
      version: 1,
      modelVersion: version,
      classes,
      items: items.map((i) => predict(i.id, wrongIds.includes(i.id) ? 'NORMAL' : i.label!)),
      errors: [],
    });
  const dir = path.join(root, '.xray-curator', 'predictions');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'v1.json'), file(1, []));
  fs.writeFileSync(path.join(dir, 'v2.json'), file(2, wrong));
  return wrong;
}

function journal(root: string): JournalLine[] {
  return journalOnDisk<JournalLine>(path.join(root, '.xray-curator'));
}

describe('UI: curating in the gallery (keyboard, filters, detail view)', () => {
  let root: string;
  let misclassified: string[];
  /** The item the first test relabels from COVID to NORMAL. */
  let relabelled: string;
  let workbench: Workbench;
  let gallery: Frame;

  const settled = (): Promise<unknown> => gallery.waitForFunction(() => document.body.dataset.pending === '0');
  const tile = (id: string): string => `.tile[data-id="${id}"]`;

  before(async () => {
    root = makeCxrSubset(8);
    misclassified = await writePredictions(root);
    workbench = await Workbench.open(root);
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    gallery = await workbench.webviewFrame('.tile img');
  });

  after(async () => {
    await workbench?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('filters to misclassified, relabels by keyboard (shown at once), flags, undoes; the journal on disk follows', async () => {
    await gallery.locator('select[aria-label="Correct or misclassified"]').selectOption({ label: '✗ Misclassified (3)' });
    await gallery.waitForFunction(() => document.querySelectorAll('.tile:not([hidden])').length === 3);
    const shown = await gallery.locator('.tile:not([hidden])').evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset.id));
    assert.deepEqual([...shown].sort(), [...misclassified].sort());
    assert.equal(await gallery.locator('.tile:not([hidden]).disagree .disagree-icon').count(), 3, 'a ✗ icon, not only the frame colour');
    assert.match((await gallery.locator('.counts').textContent()) ?? '', /Showing 3 of 24/);

    const [first, second] = shown as string[];
    relabelled = first;
    await gallery.locator(tile(first)).click();
    // The relabel must be on the tile in the same task as the keypress (no round trip to the host first).
    const sameTask = await gallery.evaluate((id) => {
      document.querySelector('.grid-host')!.dispatchEvent(new KeyboardEvent('keydown', { key: '2', bubbles: true }));
      const t = document.querySelector(`.tile[data-id="${id}"]`)!;
      return { label: t.querySelector('.label')?.textContent, agrees: t.classList.contains('agree') };
    }, first);
    assert.deepEqual(sameTask, { label: 'NORMAL', agrees: true });
    assert.equal(await gallery.locator('.tile.focused').getAttribute('data-id'), second, 'the focus moved on');

    await workbench.page.keyboard.press('f');
    await gallery.locator(`${tile(second)} .badge.flag`).waitFor();
    await settled();
    let lines = journal(root);
    assert.deepEqual(
      lines.map((l) => [l.kind, l.item, l.new, l.model]),
      [
        ['relabel', first, 'NORMAL', 'v2'],
        ['flag', second, true, 'v2'],
      ],
    );

    await workbench.page.keyboard.press('u');
    await gallery.waitForFunction((sel) => !document.querySelector(sel), `${tile(second)} .badge.flag:not([hidden])`);
    await settled();
    lines = journal(root);
    assert.equal(lines.length, 3);
    assert.equal(lines[2].kind, 'unflag');
    assert.equal(lines[2].item, second);
    assert.ok(lines[2].undoes, 'the undo line names the entry it reverses');
    const reopened = (await openDataset(root)).items.find((i) => i.id === first);
    assert.equal(reopened?.label, 'NORMAL', 'the effective label on disk');
  });

  it('lists every shortcut in the help overlay, and shows the grid with agreement frames', async () => {
    await workbench.page.keyboard.press('Shift+?');
    const help = gallery.locator('.help');
    await help.waitFor({ state: 'visible' });
    const text = (await help.textContent()) ?? '';
    for (const needle of ['h k l j', '1 … 9', 'Flag', 'Ctrl+Z', 'Enter', 'Shift']) assert.ok(text.includes(needle), `help lacks ${needle}`);
    await workbench.page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await gallery.locator('select[aria-label="Correct or misclassified"]').selectOption({ index: 0 });
    await gallery.waitForFunction(() => document.querySelectorAll('.tile:not([hidden])').length === 24);
    await gallery.locator(tile(misclassified[2])).click();
    await workbench.page.keyboard.press('f');
    await settled();
    await gallery.locator('.grid-host').evaluate((host) => host.scrollTo(0, 0));
    await gallery.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.tile:not([hidden]) img')].every((img) => img.complete && img.naturalWidth > 0));
    assert.equal(await gallery.locator('.tile:not([hidden]).disagree').count(), 2, 'two misclassified remain after the relabel');
    assert.equal(await gallery.locator('.tile:not([hidden]).agree').count(), 22);
    assert.ok(fs.statSync(await workbench.screenshot('gallery-grid')).size > 10_000);
  });

  it('opens the detail view: full image, probabilities, history, window/level by dragging, saliency toggle', async () => {
    await gallery.locator('.grid-host').evaluate((host) => host.scrollTo(0, 0));
    await gallery.locator(tile(relabelled)).click();
    await workbench.page.keyboard.press('Enter');
    const detail = gallery.locator('.detail');
    await detail.waitFor({ state: 'visible' });
    await gallery.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.detail img.full');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    assert.equal(await gallery.locator('.detail-title').textContent(), relabelled);
    assert.equal(await gallery.locator('.probability').count(), 3);
    assert.match((await gallery.locator('.history').textContent()) ?? '', /relabel: COVID → NORMAL/);
    assert.match((await gallery.locator('.detail .facts').last().textContent()) ?? '', /source/);
    const saliency = gallery.locator('button.saliency');
    assert.ok(await saliency.isDisabled());
    assert.match((await saliency.getAttribute('title')) ?? '', /needs a trained model/);

    const readout = gallery.locator('.readout');
    assert.match((await readout.textContent()) ?? '', /W 100 L 50/);
    const box = (await gallery.locator('.stage').boundingBox())!;
    const mouse = workbench.page.mouse;
    await mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await workbench.page.keyboard.down('Shift');
    await mouse.down();
    await mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 + 40, { steps: 5 });
    await mouse.up();
    await workbench.page.keyboard.up('Shift');
    const after = (await readout.textContent()) ?? '';
    const [, windowWidth, level] = /W (\d+) L (\d+)/.exec(after) ?? [];
    assert.ok(Number(windowWidth) < 100 && Number(level) > 50, `window/level did not follow the drag: ${after}`);
    assert.ok(fs.statSync(await workbench.screenshot('gallery-detail-window-level')).size > 10_000);
    await workbench.page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
  });

  it('keeps filters, focus and tile size when the webview reloads', async () => {
    await gallery.locator('.tile-size input').evaluate((input: HTMLInputElement) => {
      input.value = '240';
      input.dispatchEvent(new Event('input'));
    });
    const options = await gallery.locator('select[aria-label="Filter by label"] option').allTextContents();
    assert.ok(options.includes('Label: NORMAL (9)'), options.join(' | '));
    await gallery.locator('select[aria-label="Filter by label"]').selectOption({ label: 'Label: NORMAL (9)' });
    await gallery.locator(tile(relabelled)).click();
    await workbench.runCommand('Developer: Reload Webviews');
    await workbench.page.waitForTimeout(1000);
    gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction(() => /Showing 9 of 24/.test(document.querySelector('.counts')?.textContent ?? ''));
    assert.equal(await gallery.locator('.tile.focused').getAttribute('data-id'), relabelled);
    assert.equal(await gallery.locator('select[aria-label="Filter by label"] option:checked').textContent(), 'Label: NORMAL (9)');
  });

  it('relabels a shift+arrow selection as one step, and one undo reverts it all', async () => {
    const ids = await gallery.locator('.tile:not([hidden])').evaluateAll((tiles) => tiles.slice(0, 3).map((t) => (t as HTMLElement).dataset.id!));
    await gallery.locator(tile(ids[0])).click();
    await workbench.page.keyboard.press('Shift+ArrowRight');
    await workbench.page.keyboard.press('Shift+ArrowRight');
    assert.match((await gallery.locator('.counts').textContent()) ?? '', /3 selected/);
    assert.equal(await gallery.locator('.tile:not([hidden]).selected').count(), 3);
    const before = journal(root).length;
    await workbench.page.keyboard.press('3');
    for (const id of ids) assert.equal(await gallery.locator(`${tile(id)} .label`).textContent(), 'PNEUMONIA');
    await settled();
    const added = journal(root).slice(before);
    assert.deepEqual(added.map((l) => [l.item, l.new]).sort(), ids.map((id) => [id, 'PNEUMONIA']).sort());
    assert.equal(new Set(added.map((l) => l.group)).size, 1, 'one journal group: one undo step');
    await workbench.page.keyboard.press('u');
    await settled();
    await gallery.waitForFunction((sels) => sels.every((sel) => document.querySelector(sel)?.textContent === 'NORMAL'), ids.map((id) => `${tile(id)} .label`));
    assert.equal(journal(root).length, before + 6);
  });
});
