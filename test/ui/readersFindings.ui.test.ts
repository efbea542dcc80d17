// Adjudication on a multi-label set (NIH's own folder, a mirror): two readers disagree on two findings of one image
// (their readings made from the command line, as a second person would); the adjudicator's window shows the
// disagreements in the d queue and settles each finding by key, the reason journalled with each decision.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { stateDirOf } from '../../src/dataset';
import { journalOnDisk } from '../support/journalOnDisk';
import { runCli } from '../support/runCli';
import { NIH14_DIR } from '../support/shared';
import { Workbench } from './workbench';

const ITEM = 'images/00000150_002.png';

interface JournalLine {
  kind: string;
  item: string;
  user: string;
  finding?: string;
  new: unknown;
  adjudication?: { reason: string };
}

describe('UI: adjudicating the findings two readers disagree on (NIH ChestX-ray14)', () => {
  let workbench: Workbench;
  let gallery: Frame;

  before(async () => {
    workbench = await Workbench.open(NIH14_DIR, { mirror: 'writable', settings: { 'xrayCurator.journalUser': 'dr' } });
    const cli = async (args: string[]): Promise<void> => {
      const run = await runCli(['label', workbench.root, ...args]);
      assert.equal(run.code, 0, run.stderr);
    };
    await cli(['--readers', 'ann,bob', '--adjudicator', 'dr', '--consensus', 'majority']);
    await cli(['--reader', 'ann', '--finding', `${ITEM}:Pneumonia=positive`, '--finding', `${ITEM}:Edema=positive`]);
    await cli(['--reader', 'bob', '--finding', `${ITEM}:Pneumonia=negative`, '--finding', `${ITEM}:Edema=negative`]);
  });

  after(async () => {
    await workbench?.close();
  });

  it('d lists the image with each disagreeing finding; n and p decide them one by one, each with its reason', async () => {
    await workbench.runCommand('xrayCurator.openGallery');
    gallery = await workbench.webviewFrame('.tile img');
    await gallery.locator('.counts', { hasText: 'adjudicating as dr' }).waitFor();
    await gallery.locator('.grid-host').focus();
    await workbench.page.keyboard.press('d');
    const banner = gallery.locator('.item-list');
    await banner.filter({ hasText: '1 image(s) the readers disagree on (1 left unsettled by majority)' }).waitFor();
    assert.match((await banner.textContent()) ?? '', /Edema: ann positive, bob negative · Pneumonia: ann positive, bob negative/);
    assert.equal(await gallery.locator('.tile.focused:not([hidden])').getAttribute('data-id'), ITEM);
    assert.equal(await gallery.locator('.tile:visible').count(), 1);
    await gallery.locator(`.tile[data-id="${ITEM}"] .badge.readers-disagree`).waitFor();

    const input = workbench.page.locator('.quick-input-widget input');
    // The first finding to decide is Edema: n decides it negative.
    await workbench.page.keyboard.press('n');
    await input.waitFor({ state: 'visible' });
    assert.match(await input.inputValue(), /^sides with bob; majority left it unsettled/);
    await workbench.page.keyboard.press('Enter');
    await banner.filter({ hasText: /^(?!.*Edema:).*Pneumonia: ann positive, bob negative/ }).waitFor();
    // Pneumonia is next: p decides it positive, with a reason of the adjudicator's own.
    await gallery.locator('.grid-host').focus();
    await workbench.page.keyboard.press('p');
    await input.waitFor({ state: 'visible' });
    await input.fill('consolidation in the right lower lobe');
    await workbench.page.keyboard.press('Enter');
    await banner.filter({ hasText: '1 of 1 settled' }).waitFor();
    await gallery.locator(`.tile[data-id="${ITEM}"] .readers`, { hasText: '⚖ Edema negative (dr) · ⚖ Pneumonia positive (dr)' }).waitFor();

    const decisions = journalOnDisk<JournalLine>(stateDirOf(workbench.root)).filter((line) => line.adjudication);
    assert.deepEqual(
      decisions.map((d) => [d.user, d.item, d.finding, d.new, d.adjudication!.reason.startsWith('sides with') ? 'offered' : d.adjudication!.reason]),
      [
        ['dr', ITEM, 'Edema', 'negative', 'offered'],
        ['dr', ITEM, 'Pneumonia', 'positive', 'consolidation in the right lower lobe'],
      ],
    );
    await gallery.locator('.counts', { hasText: '0 to adjudicate (d)' }).waitFor();
    await workbench.screenshot('readers-findings-adjudicated');
  });
});
