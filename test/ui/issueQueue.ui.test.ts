import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { LabelJournal, openDataset } from '../../src/dataset';
import { journalOnDisk } from '../support/journalOnDisk';
import { makeCxrSubset } from '../support/cxrSubset';
import { Workbench } from './workbench';

interface JournalLine {
  kind: string;
  item: string;
  new: unknown;
}

function journal(root: string): JournalLine[] {
  return journalOnDisk<JournalLine>(path.join(root, '.xray-curator'));
}

// Retrain, Find Label Issues (the audit report opens in the Markdown preview), then "Review in Gallery" opens the
// issue queue and the keyboard accepts a suggestion, written to the journal on disk.
describe('UI: the label-issue queue in the gallery and the audit report', () => {
  let root: string;
  let workbench: Workbench;
  let gallery: Frame;
  let planted: string[];

  before(async () => {
    root = makeCxrSubset(40);
    // Three planted label errors (COVID films labelled NORMAL): the audit must find each of them.
    const journalFile = await LabelJournal.open(root);
    const covid = (await openDataset(root)).items.filter((i) => i.label === 'COVID').slice(0, 3);
    for (const item of covid) await journalFile.relabel(item, 'NORMAL');
    planted = covid.map((item) => item.id);
    workbench = await Workbench.open(root, {
      settings: { 'xrayCurator.augmentViews': 1 },
    });
  });

  after(async () => {
    await workbench?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('Find Label Issues opens the audit report with the ranked issues in the Markdown preview', async () => {
    await workbench.runCommand('X-Ray Curator: Retrain Model');
    await workbench.notification(/model v1 trained/);
    await workbench.runCommand('X-Ray Curator: Find Label Issues');
    const text = await workbench.notification(/images whose label is likely wrong/);
    const issues = Number(/(\d+) images whose label is likely wrong/.exec(text)?.[1]);
    assert.ok(issues > 0, text);
    const audits = path.join(root, '.xray-curator', 'audits');
    const audit = JSON.parse(fs.readFileSync(path.join(audits, fs.readdirSync(audits).filter((name) => name.endsWith('.json')).sort().at(-1)!), 'utf8')) as {
      labelIssues: { issues: { id: string; givenLabel: string; suggestedLabel: string; kind: string }[] };
    };
    const found = new Map(audit.labelIssues.issues.map((issue) => [issue.id, issue]));
    for (const id of planted) {
      assert.equal(found.get(id)?.suggestedLabel, 'COVID', `the planted error ${id} is a label issue with its true label suggested`);
      assert.equal(found.get(id)?.kind, 'label', `the planted error ${id}: its most similar images carry another class`);
    }
    const preview = await workbench.webviewFrame('h2:has-text("Label issues")');
    assert.match((await preview.locator('body').textContent()) ?? '', /Data audit[\s\S]*Label issues[\s\S]*NORMAL/);
    await workbench.screenshot('audit-report');
  });

  it('Review in Gallery opens the issue queue; a accepts the suggestion, the journal on disk has it, the focus moves on', async () => {
    const toast = workbench.page.locator('.notifications-toasts .notification-list-item', { hasText: /images whose label is likely wrong/ }).first();
    await toast.getByRole('button', { name: 'Review in Gallery' }).click();
    gallery = await workbench.webviewFrame('.issue-queue:has-text("Issue 1 of")');
    const bar = gallery.locator('.issue-queue');
    const banner = (await bar.textContent()) ?? '';
    const [, given, suggested] = /given (\S+) → suggested (\S+)/.exec(banner) ?? [];
    assert.ok(given && suggested && given !== suggested, banner);
    assert.match(banner, /\((the label looks wrong: \d+ of the \d+ most similar images are \S+(, \d+ \S+)?|the model is weak here: \d+ of the \d+ most similar images are \S+ too)\)/, 'the banner says why');
    const shown = await gallery.locator('.tile:not([hidden])').count();
    assert.equal(await gallery.locator('.issue-queue').getAttribute('role'), 'status');
    assert.match(banner, new RegExp(`Issue 1 of ${shown} `), 'the queue holds exactly the tiles shown');
    const sort = await gallery.locator('select[aria-label="Sort by"]').evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent);
    assert.equal(sort, 'Sort: issue score', 'the sort shown is the queue\'s order');

    const first = (await gallery.locator('.tile.focused').getAttribute('data-id'))!;
    assert.match((await gallery.locator('.tile.focused .label').textContent()) ?? '', new RegExp(given));
    await gallery.locator('.tile.focused').click();
    await workbench.page.keyboard.press('a');
    await bar.filter({ hasText: /^Issue 2 of/ }).waitFor();
    await gallery.waitForFunction(() => document.body.dataset.pending === '0');
    const last = journal(root).at(-1);
    assert.deepEqual([last?.kind, last?.item, last?.new], ['relabel', first, suggested]);
    assert.notEqual(await gallery.locator('.tile.focused').getAttribute('data-id'), first, 'the focus moved to the next issue');
    assert.match((await bar.textContent()) ?? '', /1 of \d+ reviewed/);

    // s keeps the given label: reviewed, nothing written.
    const lines = journal(root).length;
    await workbench.page.keyboard.press('s');
    await bar.filter({ hasText: /^Issue 3 of .* 2 of \d+ reviewed/ }).waitFor();
    assert.equal(journal(root).length, lines);

    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.screenshot('issue-queue');
  });
});
