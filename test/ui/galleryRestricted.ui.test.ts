import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { journalOnDisk } from '../support/journalOnDisk';
import { makeCxrSubset } from '../support/cxrSubset';
import { Workbench } from './workbench';

describe('UI: the gallery in Restricted Mode (untrusted folder)', () => {
  let root: string;
  let workbench: Workbench;

  before(async () => {
    root = makeCxrSubset(2);
    workbench = await Workbench.open(root, { trusted: false });
  });

  after(async () => {
    await workbench?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('shows the images read-only: a relabel key changes nothing and the banner says why', async () => {
    // Answer the workspace-trust dialog as a careful user would.
    await workbench.page.getByRole('button', { name: "No, I don't trust the authors" }).click();
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    const gallery = await workbench.webviewFrame('.tile img');
    assert.match((await gallery.locator('.counts').textContent()) ?? '', /read-only \(Restricted Mode\)/);
    const first = gallery.locator('.tile:not([hidden])').first();
    const before = await first.locator('.label').textContent();
    await first.click();
    await workbench.page.keyboard.press(before === 'COVID' ? '2' : '1');
    await gallery.locator('.banner:not([hidden])').waitFor();
    assert.match((await gallery.locator('.banner').textContent()) ?? '', /Restricted Mode/);
    assert.equal(await first.locator('.label').textContent(), before);
    assert.deepEqual(journalOnDisk(path.join(root, '.xray-curator')), [], 'nothing was written');
  });
});
