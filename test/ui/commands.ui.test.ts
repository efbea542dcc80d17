import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../host/vscodeHost';
import { Workbench } from './workbench';

// Every command of the palette that no other UI test drives, run as a person runs it (palette, quick picks, VS Code's
// own file dialogs), on a copy of the shipped demo that Open Demo Dataset makes, with assertions on what each one
// produced: the files written, the webview shown, the notification's text.
describe('UI: the rest of the palette on the shipped demo', () => {
  let workbench: Workbench;
  let demo: string;
  let out: string;
  const stateDir = (): string => path.join(demo, '.xray-curator');

  before(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-ui-commands-'));
    workbench = await Workbench.open(out, { settings: { 'xrayCurator.augmentViews': 1, 'xrayCurator.fineTuneEpochs': 1 } });
  });

  after(async () => {
    await workbench?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  const clear = (): Promise<void> => workbench.runCommand('Notifications: Clear All Notifications');
  /** The X-Ray Curator side bar, opened unless it is open already (its icon toggles it). */
  const sidebarPane = async (title: string): Promise<ReturnType<Workbench['page']['locator']>> => {
    const pane = workbench.page.locator('.pane', { hasText: title });
    if (!(await pane.isVisible())) await workbench.page.locator('.activitybar [aria-label^="X-Ray Curator"]').first().click();
    await pane.waitFor({ state: 'visible', timeout: 15_000 });
    return pane;
  };

  it('Open Demo Dataset copies the 36 shipped X-rays into the extension\'s storage and opens their gallery', async () => {
    await workbench.runCommand('xrayCurator.openDemo');
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction(() => /Showing 36 of 36/.test(document.querySelector('.counts')?.textContent ?? ''));
    const storage = path.join(workbench.host.userDataDir, 'User', 'globalStorage', 'xray-curator.xray-curator', 'demo-dataset');
    assert.ok(fs.existsSync(path.join(storage, 'manifest.csv')), `the copy is at ${storage}`);
    assert.ok(fs.existsSync(path.join(storage, 'LICENSE.md')), 'the licence travels with the images');
    demo = storage;
  });

  it('Select Backbone takes a local folder, then the built-in one again', async () => {
    const folder = path.join(PROJECT_ROOT, 'models', 'mobilenet_v2_0.35_224');
    await workbench.runAndPick('xrayCurator.selectBackbone', 'Local folder');
    await workbench.answer(`${folder}/`);
    assert.match(await workbench.notification(/backbone set to/), new RegExp(`backbone set to ${folder.replace(/[.]/g, '\\.')}`));
    await clear();
    await workbench.runAndPick('xrayCurator.selectBackbone', 'Built in');
    assert.match(await workbench.notification(/backbone set to/), /backbone set to built-in MobileNetV2/);
    await clear();
  });

  it('Fine-Tune Backbone trains a version with its last block fine-tuned and saves that backbone with it', async () => {
    await workbench.runCommand('xrayCurator.retrainModel');
    await workbench.notification(/model v1 trained/);
    await clear();
    await workbench.runCommand('xrayCurator.fineTuneBackbone');
    await workbench.answer('1');
    assert.match(await workbench.notification(/model v2 trained/), /from v1/);
    const info = JSON.parse(fs.readFileSync(path.join(stateDir(), 'models', 'v2', 'version.json'), 'utf8')) as { backbone: { fineTunedBlocks: number; location: string } };
    assert.equal(info.backbone.fineTunedBlocks, 1);
    assert.ok(fs.existsSync(path.join(stateDir(), 'models', 'v2', info.backbone.location, 'model.json')), 'the fine-tuned backbone is saved with the version');
    assert.ok(fs.existsSync(path.join(stateDir(), 'predictions', 'v2.json')), 'the dataset was re-scored through the fine-tuned backbone');
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction(() => /model v2/.test(document.querySelector('.counts')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await clear();
  });

  it('Compare Model Versions shows the newer version\'s report with the change against the older', async () => {
    await workbench.runCommand('xrayCurator.compareModels');
    await workbench.pick(/^v2/);
    await workbench.pick(/^v1/);
    await workbench.page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).click();
    const report = await workbench.webviewFrame('dl.facts');
    const text = (await report.locator('body').textContent()) ?? '';
    assert.match(text, /Change against v1/);
    assert.match(text, /v2/);
  });

  it('Find Duplicates and Leakage and Audit Source Shortcuts write the audit and name the demo\'s source shortcut', async () => {
    await workbench.runCommand('xrayCurator.findDuplicates');
    assert.match(await workbench.notification(/duplicate clusters/), /\d+ duplicate clusters/);
    await clear();
    await workbench.runCommand('xrayCurator.auditShortcuts');
    // What any honest user of the demo must learn: its COVID images all come from one source.
    assert.match(await workbench.notification(/predictable from|told apart/), /COVID is predictable from source alone: 100%/);
    const audits = fs.readdirSync(path.join(stateDir(), 'audits'));
    assert.ok(audits.some((name) => name.endsWith('.json')) && audits.some((name) => name.endsWith('.md')), audits.join(', '));
    await clear();
  });

  it('Export Curated Dataset writes a CSV of the labels, and Export Model copies a version folder', async () => {
    const csv = path.join(out, 'curated.csv');
    // Commands act on the gallery in focus: the demo's, brought back to the front (its copy is kept, not remade).
    await workbench.runCommand('xrayCurator.openDemo');
    await workbench.webviewFrame('.tile img');
    await workbench.runCommand('xrayCurator.exportDataset');
    await workbench.pick('CSV manifest');
    await workbench.pick('Include flagged images');
    await workbench.answer(csv);
    assert.match(await workbench.notification(/exported \d+ images/), /exported 36 images/);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(lines.length, 37);
    assert.match(lines[0], /^path,label/);
    await clear();
    await workbench.runCommand('xrayCurator.exportModel');
    await workbench.pick('v2');
    await workbench.answer(`${out}/`);
    await workbench.notification(/model v2 exported/);
    assert.ok(fs.existsSync(path.join(out, 'demo-dataset-model-v2', 'version.json')));
    await clear();
  });

  it('Apply Labels to Folders moves a relabelled file after its dry run, and Undo Last Label Change moves it back', async () => {
    await workbench.runCommand('xrayCurator.openDemo');
    const gallery = await workbench.webviewFrame('.tile img');
    const tile = gallery.locator('.tile[data-id="COVID/cxnet__204.jpg"]');
    await tile.click();
    await workbench.page.keyboard.press('2'); // NORMAL
    await gallery.waitForFunction(() => document.body.dataset.pending === '0');
    await workbench.runCommand('xrayCurator.applyLabelsToFolders');
    await workbench.page.getByRole('button', { name: 'Move Files' }).click();
    assert.match(fs.readFileSync(path.join(stateDir(), 'apply-to-folders-dry-run.md'), 'utf8'), /\| COVID\/cxnet__204\.jpg \| NORMAL\/cxnet__204\.jpg \| NORMAL \|/);
    assert.match(await workbench.notification(/files moved/), /1 files moved into their class folders/);
    assert.ok(fs.existsSync(path.join(demo, 'NORMAL', 'cxnet__204.jpg')) && !fs.existsSync(path.join(demo, 'COVID', 'cxnet__204.jpg')));
    await clear();
    await workbench.runCommand('xrayCurator.openDemo');
    await workbench.webviewFrame('.tile img');
    await workbench.runCommand('xrayCurator.undoLabel');
    for (let i = 0; i < 50 && !fs.existsSync(path.join(demo, 'COVID', 'cxnet__204.jpg')); i++) await workbench.page.waitForTimeout(200);
    assert.ok(fs.existsSync(path.join(demo, 'COVID', 'cxnet__204.jpg')) && !fs.existsSync(path.join(demo, 'NORMAL', 'cxnet__204.jpg')), 'the move was undone');
    await workbench.runCommand('View: Close All Editors');
  });

  it("a class in the side bar (its row runs 'xrayCurator.filterGallery') filters the gallery to that label", async () => {
    await workbench.runCommand('xrayCurator.openDemo');
    await (await sidebarPane('Classes')).locator('.monaco-list-row', { hasText: 'PNEUMONIA' }).first().click();
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction(() => {
      const tiles = [...document.querySelectorAll('.tile:not([hidden])')];
      return tiles.length === 12 && tiles.every((t) => t.querySelector('.label')?.textContent === 'PNEUMONIA');
    });
  });

  it("a report in the side bar (its row runs 'xrayCurator.openReportFile') opens that saved report", async () => {
    const row = (await sidebarPane('Reports')).locator('.monaco-list-row').first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    const report = await workbench.webviewFrame('dl.facts');
    assert.match((await report.locator('body').textContent()) ?? '', /Confusion matrix/);
    assert.ok(fs.statSync(await workbench.screenshot('sidebar-report')).size > 10_000);
  });
});
