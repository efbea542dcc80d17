// Two readers in two VS Code windows on one dataset, as a reading study runs: Set Up Reading Study from the palette,
// blind reading by key in each reader's queue (no prediction, no other reader shown until read), the other window
// following live, the adjudicator's decision by key with its reason, and the agreement report with the kappa
// computed by hand for the readings made.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { stateDirOf } from '../../src/dataset';
import type { AgreementReport } from '../../src/ml/agreement';
import { journalOnDisk } from '../support/journalOnDisk';
import { makeCxrSubset } from '../support/cxrSubset';
import { Workbench } from './workbench';

interface JournalLine {
  kind: string;
  item: string;
  user: string;
  new: unknown;
  adjudication?: { reason: string };
}

const CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'];

describe('UI: a blind reading study in two windows, adjudication and agreement', () => {
  let root: string;
  let ana: Workbench;
  let ben: Workbench;
  let anaGallery: Frame;
  /** The image ben reads wrongly on purpose. */
  let misread: string;
  const journal = (): JournalLine[] => journalOnDisk<JournalLine>(stateDirOf(root));

  before(async () => {
    root = makeCxrSubset(2);
    // The latest model's predictions, as Score Dataset writes them: each image predicted as its folder's class.
    const ids = CLASSES.flatMap((name) => fs.readdirSync(path.join(root, name)).map((file) => `${name}/${file}`));
    const items = ids.map((id) => ({ id, probs: CLASSES.map((c) => (id.startsWith(`${c}/`) ? 0.8 : 0.1)), predicted: id.split('/')[0], confidence: 0.8, margin: 0.7, entropy: 0.6 }));
    fs.mkdirSync(path.join(stateDirOf(root), 'predictions'), { recursive: true });
    fs.writeFileSync(path.join(stateDirOf(root), 'predictions', 'v1.json'), JSON.stringify({ version: 1, modelVersion: 1, classes: CLASSES, items, errors: [] }));
    [ana, ben] = await Promise.all([
      Workbench.open(root, { settings: { 'xrayCurator.journalUser': 'ana' } }),
      Workbench.open(root, { settings: { 'xrayCurator.journalUser': 'ben' } }),
    ]);
  });

  after(async () => {
    await Promise.all([ana?.close(), ben?.close()]);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** Reads every image of the reader's queue by key (the focus moves on by itself); `keyFor` picks the class. */
  async function readQueue(workbench: Workbench, gallery: Frame, reader: string, keyFor: (id: string) => string): Promise<string[]> {
    await gallery.locator('.grid-host').focus();
    await workbench.page.keyboard.press('r');
    await gallery.locator('.item-list', { hasText: `6 image(s) waiting for ${reader} (blind reading)` }).waitFor();
    const read: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = (await gallery.locator('.tile.focused:not([hidden])').getAttribute('data-id'))!;
      assert.ok(!read.includes(id), `the focus moved on after reading ${read.at(-1)}`);
      await workbench.page.keyboard.press(keyFor(id));
      await gallery.waitForFunction((was) => document.querySelector<HTMLElement>('.tile.focused:not([hidden])')?.dataset.id !== was || document.querySelector('.item-list')?.textContent?.includes('6 of 6 read'), id);
      read.push(id);
    }
    await gallery.waitForFunction(() => document.body.dataset.pending === '0');
    return read;
  }

  const truthKey = (id: string): string => String(CLASSES.indexOf(id.split('/')[0]) + 1);

  it('Set Up Reading Study from the palette: the open gallery goes blind, without predictions or labels', async () => {
    await ana.runCommand('X-Ray Curator: Open Dataset Gallery');
    anaGallery = await ana.webviewFrame('.tile .predicted');
    await anaGallery.waitForFunction(() => [...document.querySelectorAll('.tile:not([hidden]) .predicted')].filter((node) => node.textContent).length === 6);

    await ana.runCommand('xrayCurator.setUpReadingStudy');
    await ana.answer('ana, ben');
    await ana.answer('');
    await ana.pick(/^Blind/);
    await ana.pick(/^Majority/);
    await ana.notification(/reading study set up \(2 readers \(ana, ben\), blind, majority consensus\)/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(stateDirOf(root), 'readers.json'), 'utf8')), { version: 2, consensus: 'majority', blind: true, readers: ['ana', 'ben'] });

    // The gallery follows readers.json at once: every tile is blinded, shows its file's base name and no prediction.
    await anaGallery.waitForFunction(() => document.querySelectorAll('.tile.blinded:not([hidden])').length === 6);
    assert.deepEqual(await anaGallery.locator('.tile:not([hidden]) .predicted').evaluateAll((nodes) => nodes.filter((n) => n.textContent).length), 0);
    const names = await anaGallery.locator('.tile:not([hidden]) .name').allTextContents();
    assert.ok(names.every((name) => !name.includes('/')), `blinded tiles show base names, not class folders: ${names.join(', ')}`);
    assert.ok((await anaGallery.locator('.tile:not([hidden]) .label').allTextContents()).every((text) => text === 'to read'));
    assert.match((await anaGallery.locator('.counts').textContent()) ?? '', /Blind reading as ana · 6 to read \(r\) · 0 to adjudicate \(d\)/);
  });

  it('each reader reads blind in their own queue by key; the other window follows live', async () => {
    const anaRead = await readQueue(ana, anaGallery, 'ana', truthKey);
    assert.deepEqual(journal().filter((l) => l.user === 'ana').map((l) => [l.item, l.new]).sort(), anaRead.map((id) => [id, id.split('/')[0]]).sort());
    // Read: ana's own readings show, with the model's predictions.
    await anaGallery.waitForFunction(() => document.querySelectorAll('.tile.blinded:not([hidden])').length === 0);
    assert.equal(await anaGallery.locator('.tile:not([hidden]) .predicted').evaluateAll((nodes) => nodes.filter((n) => n.textContent).length), 6);

    await ben.runCommand('X-Ray Curator: Open Dataset Gallery');
    const benGallery = await ben.webviewFrame('.tile.blinded');
    // ana's readings are withheld from ben until he has read each image.
    assert.ok((await benGallery.locator('.tile:not([hidden]) .readers').allTextContents()).every((text) => text === 'blind: yours to read'));
    // ben reads the first COVID film of his queue as NORMAL, everything else as its folder says.
    const benRead = await readQueue(ben, benGallery, 'ben', (id) => {
      if (misread === undefined && id.startsWith('COVID/')) {
        misread = id;
        return '2';
      }
      return truthKey(id);
    });
    assert.equal(benRead.length, 6);
    const benLine = (await benGallery.locator(`.tile[data-id="${misread}"] .readers`).textContent()) ?? '';
    assert.equal(benLine, 'ana COVID · ben NORMAL', 'read, the other reading shows');

    // ana's window hears of ben's journal file: one disagreement to adjudicate.
    await anaGallery.locator('.counts', { hasText: '1 to adjudicate (d)' }).waitFor();
    await anaGallery.locator(`.tile[data-id="${misread}"] .badge.readers-disagree`).waitFor();
    await ben.screenshot('readers-ben-read');
  });

  it('the adjudicator settles the disagreement from the d queue by key, and the reason is journalled', async () => {
    await anaGallery.locator('.grid-host').focus();
    await ana.page.keyboard.press('d');
    await anaGallery.locator('.item-list', { hasText: '1 image(s) the readers disagree on (1 left unsettled by majority)' }).waitFor();
    assert.equal(await anaGallery.locator('.tile.focused:not([hidden])').getAttribute('data-id'), misread);
    assert.equal(await anaGallery.locator('.tile:visible').count(), 1, 'the tiles of the reading queue shown before are gone');
    await ana.page.keyboard.press('2');
    // The reason box offers what the decision sides with; Enter keeps it.
    const input = ana.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    assert.match(await input.inputValue(), /^sides with ben; majority left it unsettled/);
    await ana.page.keyboard.press('Enter');
    await anaGallery.locator(`.tile[data-id="${misread}"] .readers`, { hasText: '⚖ NORMAL (ana)' }).waitFor();
    const decision = journal().at(-1)!;
    assert.deepEqual([decision.kind, decision.item, decision.user, decision.new], ['relabel', misread, 'ana', 'NORMAL']);
    assert.match(decision.adjudication?.reason ?? '', /^sides with ben; majority left it unsettled/);
    await anaGallery.locator('.counts', { hasText: '0 to adjudicate (d)' }).waitFor();
    await ana.screenshot('readers-adjudicated');

    // The queues from the palette: nothing left for either.
    await ana.runCommand('xrayCurator.showAdjudicationQueue');
    await anaGallery.locator('.item-list', { hasText: '0 image(s) the readers disagree on' }).waitFor();
    await ben.runCommand('xrayCurator.showReadingQueue');
    await (await ben.webviewFrame('.item-list')).locator('.item-list', { hasText: '0 image(s) waiting for ben' }).waitFor();
  });

  it('Show Agreement Report gives the kappa of the two readers, saved beside the metric reports', async () => {
    await ben.runCommand('xrayCurator.showAgreement');
    const page = await ben.webviewFrame('h1:has-text("agreement")');
    assert.match((await page.locator('body').textContent()) ?? '', /Readers\s*2: ana, ben[\s\S]*majority: 6 settled \(1 by an adjudicator's decision\), 0 unsettled/);
    // The model's ROC curve of each class with both readers' points and its own on it.
    assert.equal(await page.locator('svg.plot[id^="roc-readers-"]').count(), 3);
    assert.equal(await page.locator('svg.plot[id="roc-readers-0"] circle.mark').count(), 3);
    const reports = path.join(stateDirOf(root), 'reports');
    const saved = fs.readdirSync(reports).filter((name) => name.startsWith('agreement-'));
    assert.deepEqual(saved.map((name) => path.extname(name)).sort(), ['.html', '.json', '.md']);
    const report = JSON.parse(fs.readFileSync(path.join(reports, saved.find((name) => name.endsWith('.json'))!), 'utf8')) as AgreementReport;
    // Agreement on 5 of 6; ana's classes are 2/2/2, ben's 1/3/2: chance 1/3, so kappa = (5/6 - 1/3) / (1 - 1/3) = 0.75.
    assert.deepEqual(report.pairs.map((p) => [p.readers, p.n]), [[['ana', 'ben'], 6]]);
    assert.ok(Math.abs(report.pairs[0].kappa.estimate! - 0.75) < 1e-12, String(report.pairs[0].kappa.estimate));
    assert.equal(report.consensus.adjudicated, 1);
    await ben.screenshot('readers-agreement');
  });

  it('Set Up Reading Study again can end the study: the latest edit is the label again, every reading kept', async () => {
    const lines = journal().length;
    await ana.runCommand('xrayCurator.setUpReadingStudy');
    await ana.pick(/^End the study/);
    await ana.notification(/the reading study has ended/);
    assert.ok(!fs.existsSync(path.join(stateDirOf(root), 'readers.json')));
    await anaGallery.waitForFunction(() => !/reading as/.test(document.querySelector('.counts')?.textContent ?? ''));
    // Out of the (now empty) adjudication queue: the adjudicator's decision was the latest edit of the misread image.
    await anaGallery.locator('.grid-host').focus();
    await ana.page.keyboard.press('x');
    await anaGallery.locator(`.tile[data-id="${misread}"]:not([hidden]) .label`, { hasText: 'NORMAL' }).waitFor();
    assert.equal(await anaGallery.locator('.tile:not([hidden]) .readers:not([hidden])').count(), 0, 'no study, no readers line');
    assert.equal(journal().length, lines);
  });
});
