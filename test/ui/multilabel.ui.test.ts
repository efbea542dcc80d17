import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findingPredictionsPath } from '../../src/ml/multilabel/findingPredictions';
import { findingsUncertainty } from '../../src/ml/nextQueue/uncertainty';
import { journalOnDisk } from '../support/journalOnDisk';
import { runCli } from '../support/runCli';
import { NIH14_DIR } from '../support/shared';
import { Workbench } from './workbench';

// Issue 14's acceptance, as a user tries it: NIH's own folder (images/ + Data_Entry_2017.csv), opened as it is (a
// mirror), shows each image's findings on its tile; Retrain Model trains the findings and its report gives per-finding
// AUCs; the gallery filters one finding by the model's disagreement, and a key sets that finding in the journal.
describe('UI: a multi-label set in the gallery (NIH ChestX-ray14 as distributed)', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open(NIH14_DIR, { mirror: 'writable', settings: { 'xrayCurator.fineTuneEpochs': 1 } });
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

  it('Retrain Model trains the findings and Open Report shows per-finding AUCs with intervals', async () => {
    await workbench.runCommand('xrayCurator.retrainModel');
    const text = await workbench.notification(/findings model v1 trained/, 240_000);
    assert.match(text, /on 5 findings; validation mean AUC 0\.\d{3} \(95% CI 0\.\d{3}–[01]\.\d{3}\); left out: .*Hernia/);
    assert.match(await workbench.statusBarText('xray-curator.xray-curator.xrayCurator.model'), /findings v1 · mean AUC 0\.\d\d/);
    const toast = workbench.page.locator('.notifications-toasts .notification-list-item', { hasText: /findings model v1 trained/ }).first();
    await toast.getByRole('button', { name: 'Open Report' }).click();
    // The report's webview swaps its frame as its page is written: read it once it holds the heat map.
    const report = await workbench.webviewFrame('svg#cooccurrence');
    const rows = await report.locator('tr').allTextContents();
    const pneumonia = rows.find((row) => row.startsWith('Pneumonia'));
    assert.ok(pneumonia, rows.join(' | '));
    assert.match(pneumonia, /0\.\d\d.*0\.\d\d–[01]\.\d\d/, 'its AUC and interval');
    assert.match((await report.locator('body').textContent()) ?? '', /Co-occurrence/);
    await workbench.screenshot('nih-findings-report');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it('filters "Pneumonia, model disagrees", sets Pneumonia by key, and the journal records it with the probability shown', async () => {
    await workbench.runCommand('xrayCurator.openGallery');
    const gallery = await workbench.webviewFrame('.tile .chip');
    const pneumonia = (await gallery.locator('select[aria-label="Filter by finding"] option', { hasText: /^Finding: Pneumonia/ }).textContent())!;
    // NIH lists 121; the export test set one of them negative through the command line.
    assert.equal(pneumonia, 'Finding: Pneumonia (120 positive)');
    await gallery.locator('select[aria-label="Filter by finding"]').selectOption({ label: pneumonia });
    await gallery.locator('select[aria-label="Finding label or agreement"]').selectOption({ label: '✗ Model disagrees' });
    await gallery.waitForFunction(() => {
      const tiles = [...document.querySelectorAll('.tile:not([hidden])')];
      // A tile with many findings sums the last ones up in a "+N" chip, whose description names them.
      const chips = (t: Element): string => [...t.querySelectorAll('.chip')].map((chip) => `${chip.textContent} ${chip.getAttribute('title')}`).join(' ');
      return tiles.length > 0 && tiles.every((t) => t.classList.contains('disagree') && /✗ Pneumonia/.test(chips(t)));
    });
    const first = gallery.locator('.tile:not([hidden])').first();
    const id = (await first.getAttribute('data-id'))!;
    const labelled = !/Pneumonia \(model\)/.test((await first.locator('.chips').textContent()) ?? '');
    assert.match((await gallery.locator('.keys').textContent()) ?? '', /Finding: Pneumonia/);
    await first.click();
    // Agree with the model: a labelled Pneumonia the model doubts becomes negative, an unlabelled one it sees becomes positive.
    await workbench.page.keyboard.press(labelled ? 'n' : 'p');
    await gallery.waitForFunction(() => document.body.dataset.pending === '0');
    // The edited tile stays in view (the filter is not re-run under the user's feet) and turns to agreement at Pneumonia.
    await gallery.waitForFunction((tileId) => {
      const tile = document.querySelector(`.tile[data-id="${tileId}"]:not([hidden])`);
      return tile !== null && !/✗ Pneumonia/.test([...tile.querySelectorAll('.chip')].map((chip) => `${chip.textContent} ${chip.getAttribute('title')}`).join(' '));
    }, id);
    const last = journalOnDisk(path.join(workbench.root, '.xray-curator')).at(-1)!;
    assert.deepEqual([last.kind, last.item, last.finding, last.new], ['finding', id, 'Pneumonia', labelled ? 'negative' : 'positive']);
    assert.equal(last.model, 'findings v1');
    assert.equal(typeof last.confidence, 'number');
    await workbench.screenshot('nih-findings-gallery');
  });

  it('Find Label Issues checks each finding; the issue queue walks them and a sets the suggested state in the journal', async () => {
    await workbench.runCommand('xrayCurator.findLabelIssues');
    const text = await workbench.notification(/finding labels likely wrong/);
    const issues = Number(/(\d+) finding labels likely wrong, 0 uncertain to resolve/.exec(text)?.[1]);
    assert.ok(issues > 0, text);
    const preview = await workbench.webviewFrame('h2:has-text("Label issues per finding")');
    // Each checked finding gets its own shortcut audit, on NIH's sex, view and image columns.
    assert.match((await preview.locator('body').textContent()) ?? '', /Source shortcuts per finding[\s\S]*Pneumonia[\s\S]*Metadata alone gives \d+% balanced accuracy over 2 classes/);
    const toast = workbench.page.locator('.notifications-toasts .notification-list-item', { hasText: /finding labels likely wrong/ }).first();
    await toast.getByRole('button', { name: 'Review in Gallery' }).click();
    const gallery = await workbench.webviewFrame('.issue-queue:has-text("Issue 1 of")');
    const bar = gallery.locator('.issue-queue');
    const banner = (await bar.textContent()) ?? '';
    const [, finding, given, suggested] = /Issue 1 of \d+ · (\w[\w ]*): given (\w+) → suggested (\w+)/.exec(banner) ?? [];
    assert.ok(finding && given !== suggested, banner);
    const first = (await gallery.locator('.tile.focused').getAttribute('data-id'))!;
    assert.match((await gallery.locator('.keys').textContent()) ?? '', new RegExp(`Finding: ${finding} `), 'p, n and m act on the issue\'s finding');
    await gallery.locator('.tile.focused').click();
    await workbench.page.keyboard.press('a');
    await bar.filter({ hasText: /^Issue 2 of/ }).waitFor();
    await gallery.waitForFunction(() => document.body.dataset.pending === '0');
    const last = journalOnDisk(path.join(workbench.root, '.xray-curator')).at(-1)!;
    assert.deepEqual([last.kind, last.item, last.finding, last.new], ['finding', first, finding, suggested]);
    await workbench.screenshot('nih-finding-issues');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it('the side bar lists the findings with their AUC and the findings models; a finding filters the gallery to its positives', async () => {
    const pane = async (title: string): Promise<ReturnType<Workbench['page']['locator']>> => {
      const found = workbench.page.locator('.pane', { hasText: title });
      if (!(await found.isVisible())) await workbench.page.locator('.activitybar [aria-label^="X-Ray Curator"]').first().click();
      await found.waitFor({ state: 'visible', timeout: 15_000 });
      return found;
    };
    const models = await pane('Model Versions');
    await models.locator('.monaco-list-row', { hasText: 'findings v1' }).filter({ hasText: /mean AUC 0\.\d{3} \(0\.\d{3}–[01]\.\d{3}\)/ }).waitFor();
    const findings = await pane('Classes and Findings');
    // The tree renders the rows in view: scroll to the end of the 14 findings.
    await findings.locator('.monaco-list').hover();
    await workbench.page.mouse.wheel(0, 600);
    const pneumonia = findings.locator('.monaco-list-row', { hasText: /^Pneumonia/ }).first();
    await pneumonia.filter({ hasText: /\d+ positive · AUC 0\.\d\d \(0\.\d\d–[01]\.\d\d\)/ }).waitFor();
    assert.match((await findings.locator('.monaco-list-row', { hasText: /^Pneumothorax/ }).first().textContent()) ?? '', /\d positive · not trained/);
    const positives = Number(/(\d+) positive/.exec((await pneumonia.textContent()) ?? '')?.[1]);
    await workbench.screenshot('nih-sidebar');
    await pneumonia.click();
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction((n) => {
      const finding = document.querySelector<HTMLSelectElement>('select[aria-label="Filter by finding"]')?.selectedOptions[0]?.textContent ?? '';
      const state = document.querySelector<HTMLSelectElement>('select[aria-label="Finding label or agreement"]')?.selectedOptions[0]?.textContent ?? '';
      const tiles = document.querySelectorAll('.tile:not([hidden])').length;
      return /^Finding: Pneumonia/.test(finding) && state === 'Labelled positive' && new RegExp(`Showing ${n} of 321`).test(document.querySelector('.counts')?.textContent ?? '') && tiles > 0;
    }, positives);
  });

  it('the detail view shows Grad-CAM per finding: the highest scored one first, then the one whose button is pressed', async () => {
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.locator('.tile:not([hidden])').first().click();
    await workbench.page.keyboard.press('Enter');
    await gallery.locator('.detail table.findings').waitFor({ state: 'visible' });
    const label = gallery.locator('.saliency-label');
    const shown = async (): Promise<string> => {
      await gallery.waitForFunction(() => ['shown', 'error'].includes(document.querySelector<HTMLElement>('.detail')?.dataset.saliency ?? ''), undefined, { timeout: 120_000 });
      assert.equal(await gallery.locator('.detail').getAttribute('data-saliency'), 'shown', (await gallery.locator('.saliency-info').textContent()) ?? '');
      return (await label.textContent()) ?? '';
    };
    // Untrained findings (too few positives) have no button; the five trained ones do.
    assert.equal(await gallery.locator('table.findings button.explain').count(), 5);
    await gallery.locator('button.saliency').click();
    const top = await gallery.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLTableRowElement>('table.findings tr[data-finding]')];
      const value = (row: HTMLTableRowElement): number => parseFloat(row.cells[2]?.textContent ?? '') || -1;
      return rows.filter((row) => row.querySelector('button.explain')).sort((a, b) => value(b) - value(a))[0]?.dataset.finding;
    });
    assert.equal(await shown(), `Grad-CAM for ${top} (findings model v1)`);
    const other = top === 'Effusion' ? 'Edema' : 'Effusion';
    await gallery.locator(`button[aria-label="Grad-CAM of ${other}"]`).click();
    await gallery.locator('.saliency-label', { hasText: other }).waitFor();
    assert.equal(await shown(), `Grad-CAM for ${other} (findings model v1)`);
    assert.equal(await gallery.locator(`button[aria-label="Grad-CAM of ${other}"]`).getAttribute('aria-pressed'), 'true');
    assert.equal(await gallery.locator(`button[aria-label="Grad-CAM of ${top}"]`).getAttribute('aria-pressed'), 'false');
    await workbench.screenshot('nih-finding-gradcam');
    await workbench.page.keyboard.press('Escape');
    await gallery.locator('.detail').waitFor({ state: 'hidden' });
  });

  it('Next Images to Label ranks the unreviewed images by the findings model\'s uncertainty, mean over findings', async () => {
    await workbench.runCommand('X-Ray Curator: Next Images to Label (Active Learning)');
    await workbench.pick('Uncertainty');
    const gallery = await workbench.webviewFrame('.item-list:has-text("Next to label by uncertainty")');
    const bar = gallery.locator('.item-list');
    await bar.filter({ hasText: /under model v1: 200 of \d+ not yet reviewed images/ }).waitFor();
    const predictions = JSON.parse(fs.readFileSync(path.join(workbench.root, '.xray-curator', 'predictions', 'findings-v1.json'), 'utf8')) as { items: { id: string; probs: number[] }[] };
    const expected = new Map(predictions.items.map((p) => [p.id, findingsUncertainty(p.probs)]));
    const first = await gallery.locator('.tile:not([hidden])').evaluateAll((tiles) =>
      tiles
        .map((t) => ({ id: (t as HTMLElement).dataset.id!, box: t.getBoundingClientRect() }))
        .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left)
        .slice(0, 3)
        .map((t) => t.id),
    );
    const scores: number[] = [];
    for (const [i, id] of first.entries()) {
      await gallery.locator(`.tile:not([hidden])[data-id="${id}"]`).click();
      // The bar follows the focus on the next frame: read it once it names this position.
      const line = bar.filter({ hasText: new RegExp(`\\b${i + 1} of \\d+: uncertainty`) });
      await line.waitFor();
      const shown = Number(/uncertainty (\d\.\d+)/.exec((await line.textContent()) ?? '')?.[1]);
      assert.ok(Math.abs(shown - expected.get(id)!) < 0.01, `${id}: shown ${shown}, from the findings predictions ${expected.get(id)}`);
      scores.push(shown);
    }
    assert.ok(scores[0] >= scores[1] && scores[1] >= scores[2], `most uncertain first: ${scores.join(', ')}`);
    const top = Math.max(...[...expected.values()]);
    assert.ok(Math.abs(scores[0] - top) < 0.01, `the first is the most uncertain of all (${top})`);
  });

  it('the dataset map colours each point by a finding\'s state: as many positives as NIH lists', async () => {
    await workbench.runCommand('X-Ray Curator: Open Dataset Map');
    const map = await workbench.webviewFrame('body[data-points]', 120_000);
    const points = Number(await map.locator('body').getAttribute('data-points'));
    // No class on NIH's set: the map offers no class colourings, and colours by whether any finding is positive first.
    const options = await map.locator('select[aria-label="Colour the points by"] option').allTextContents();
    assert.equal(options[0], 'Colour: Any finding', options.join(' | '));
    assert.ok(!options.some((o) => ['Colour: Label', 'Colour: Prediction', 'Colour: Right or wrong'].includes(o)), options.join(' | '));
    assert.match((await map.locator('.legend').textContent()) ?? '', /a finding positive \(\d+\)[\s\S]*no finding \(\d+\)/);
    // A finding no test above edited, so NIH's file still gives its positives.
    const edited = new Set(journalOnDisk<{ kind: string; finding?: string }>(path.join(workbench.root, '.xray-curator')).map((e) => e.finding));
    const finding = ['Effusion', 'Infiltration', 'Atelectasis'].find((f) => !edited.has(f))!;
    await map.locator('select[aria-label="Colour the points by"]').selectOption(`finding:${finding}`);
    const legend = (await map.locator('.legend').textContent()) ?? '';
    const count = (name: string): number => Number(new RegExp(`${name} \\((\\d+)\\)`).exec(legend)?.[1] ?? 0);
    const rows = fs.readFileSync(path.join(workbench.root, 'Data_Entry_2017.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const positives = rows.filter((row) => (row.split(',')[1] ?? '').split('|').includes(finding)).length;
    assert.ok(positives > 0);
    // Every image is embedded after Retrain; NIH has no uncertain labels.
    assert.equal(points, rows.length);
    assert.equal(count('positive'), positives, legend);
    assert.equal(count('positive') + count('negative or not mentioned'), points, legend);
    await workbench.screenshot('nih-map-effusion');
  });

  it('Fine-Tune Backbone fine-tunes the last block with the findings head and re-scores the gallery through it', async () => {
    const models = path.join(workbench.root, '.xray-curator', 'models-multilabel');
    const next = Math.max(...fs.readdirSync(models).map((name) => Number(/^v(\d+)$/.exec(name)?.[1] ?? 0))) + 1;
    await workbench.runCommand('xrayCurator.fineTuneBackbone');
    await workbench.answer('1');
    const text = await workbench.notification(new RegExp(`findings model v${next} trained`), 300_000);
    assert.match(text, /with its last backbone block fine-tuned/);
    const info = JSON.parse(fs.readFileSync(path.join(models, `v${next}`, 'version.json'), 'utf8')) as { backbone: { fineTunedBlocks: number; location: string } };
    assert.equal(info.backbone.fineTunedBlocks, 1);
    assert.ok(fs.existsSync(path.join(models, `v${next}`, info.backbone.location, 'model.json')), 'the fine-tuned backbone is saved with the version');
    assert.match(await workbench.statusBarText('xray-curator.xray-curator.xrayCurator.model'), new RegExp(`findings v${next} · mean AUC 0\\.\\d\\d`));
    const scored = JSON.parse(fs.readFileSync(findingPredictionsPath(workbench.root, next), 'utf8')) as { modelVersion: number; items: unknown[] };
    assert.deepEqual([scored.modelVersion, scored.items.length], [next, 321], 'every image re-scored through the fine-tuned backbone');
    // The queue to label, still shown from the earlier test, is ranked again under the fine-tuned model.
    const gallery = await workbench.webviewFrame('.tile img');
    await gallery.waitForFunction((v) => document.body.textContent?.includes(`Next to label by uncertainty under model v${v}:`), next, { timeout: 60_000 });
    // The side bar says which findings model fine-tuned its backbone.
    const versions = workbench.page.locator('.pane', { hasText: 'Model Versions' });
    if (!(await versions.isVisible())) await workbench.page.locator('.activitybar [aria-label^="X-Ray Curator"]').first().click();
    await versions.locator('.monaco-list-row', { hasText: `findings v${next}` }).filter({ hasText: /· 1 block fine-tuned/ }).waitFor({ timeout: 15_000 });
    await workbench.screenshot('nih-fine-tuned-sidebar');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });
});
