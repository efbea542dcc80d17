import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { journalOnDisk } from '../support/journalOnDisk';
import { linkOrCopy } from '../support/mirror';
import { CXR_DIR, requireShared } from '../support/shared';
import { Workbench } from './workbench';

/** The cxr images hard-linked `copies` times into the class folders of a fresh folder: `COVID/r3-<name>`, ... */
function replicated(copies: number): { root: string; ids: string[] } {
  const source = requireShared(CXR_DIR);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-at-size-'));
  const ids: string[] = [];
  for (const folder of ['COVID', 'NORMAL', 'PNEUMONIA']) {
    for (const name of fs.readdirSync(path.join(source, folder))) {
      for (let copy = 0; copy < copies; copy++) {
        const id = `${folder}/r${copy}-${name}`;
        linkOrCopy(path.join(source, folder, name), path.join(root, id));
        ids.push(id);
      }
    }
  }
  return { root, ids: ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

async function countsText(gallery: Frame): Promise<string> {
  return (await gallery.locator('.counts').textContent()) ?? '';
}

describe('UI: the gallery at size (15,000 hard-linked images, items sent in pages)', () => {
  let workbench: Workbench;
  let root: string;
  let ids: string[];
  const total = (15_020).toLocaleString('en-US');

  before(async () => {
    ({ root, ids } = replicated(10));
    workbench = await Workbench.open(root);
  });

  after(async () => {
    await workbench?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('gets every item over, jumps to the last with End, and a relabel there lands in the journal', async () => {
    assert.equal(ids.length, 15_020);
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction((n) => document.querySelector('.counts')?.textContent?.startsWith(`Showing ${n} of ${n}`) && document.querySelector<HTMLElement>('.loading')?.hidden, total);
    await gallery.locator('.tile:not([hidden])').first().click();
    await workbench.page.keyboard.press('End');
    const last = ids.at(-1)!;
    await gallery.waitForFunction((id) => document.querySelector('.tile.focused')?.getAttribute('data-id') === id, last);
    await workbench.page.keyboard.press('1');
    await gallery.waitForFunction(() => document.body.dataset.pending === '0');
    const lines = journalOnDisk<{ item: string; kind: string; new: unknown }>(path.join(root, '.xray-curator'));
    assert.deepEqual(lines.map(({ item, kind, new: value }) => ({ item, kind, value })), [{ item: last, kind: 'relabel', value: 'COVID' }]);
  });

  it('filters 15,000 items by label and counts them', async () => {
    const gallery = await workbench.webviewFrame('.tile img');
    const normal = ids.filter((id) => id.startsWith('NORMAL/')).length;
    await gallery.locator('select[aria-label="Filter by label"]').selectOption({ index: 2 });
    await gallery.waitForFunction((n) => document.querySelector('.counts')?.textContent?.startsWith(`Showing ${n} of`), normal.toLocaleString('en-US'));
    const labels = await gallery.locator('.tile:not([hidden]) .label').allTextContents();
    assert.ok(labels.length > 0 && labels.every((label) => label === 'NORMAL'), labels.join(','));
    await gallery.locator('select[aria-label="Filter by label"]').selectOption({ index: 0 });
    await gallery.waitForFunction((n) => document.querySelector('.counts')?.textContent?.startsWith(`Showing ${n} of ${n}`), total);
  });

  it('reopens from the saved scan: tiles at once, the relabel still there, the folder checked behind them', async () => {
    assert.ok(fs.existsSync(path.join(root, '.xray-curator', 'scan-cache.jsonl')), 'the first scan was saved');
    await workbench.runCommand('View: Close Editor');
    fs.rmSync(path.join(root, ids[0]));
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    const gallery = await workbench.webviewFrame('.tile img');
    const less = (15_019).toLocaleString('en-US');
    // The file removed while the gallery was closed is found by the check behind the tiles.
    await gallery.waitForFunction((n) => document.querySelector('.counts')?.textContent?.startsWith(`Showing ${n} of ${n}`) && document.querySelector<HTMLElement>('.loading')?.hidden, less);
    assert.equal(await gallery.locator(`.tile[data-id="${ids[0]}"]`).count(), 0);
    await gallery.locator('.tile:not([hidden])').first().click();
    await workbench.page.keyboard.press('End');
    await gallery.waitForFunction((id) => document.querySelector('.tile.focused')?.getAttribute('data-id') === id, ids.at(-1)!);
    assert.equal(await gallery.locator('.tile.focused .label').textContent(), 'COVID');
    assert.match(await countsText(gallery), /COVID \d+/);
  });
});
