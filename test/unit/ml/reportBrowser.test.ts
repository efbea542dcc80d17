// Opens a saved HTML report in headless Chromium with the network off: it must render with no request, no
// console error and no CSP violation. Leaves a screenshot in test-results/screenshots/report.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildReport, writeReport } from '../../../src/ml/report';
import { launchBrowser, PROJECT_ROOT } from '../../host/vscodeHost';
import { THREE_CLASSES, threeClassItems } from './reportFixtures';

const SCREENSHOT = path.join(PROJECT_ROOT, 'test-results', 'screenshots', 'report.png');

describe('report: HTML in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  before(async () => {
    browser = await launchBrowser();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xray-report-html-'));
  });
  after(async () => {
    await browser?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('opens standalone, offline, without errors or requests, with its styles applied', async () => {
    const classes = THREE_CLASSES;
    const previous = buildReport({ classes, items: threeClassItems(180, 3), model: { version: 'v1' } }, { bootstrap: { iterations: 200 } });
    const report = buildReport(
      { classes, items: threeClassItems(), model: { version: 'v2', parent: 'v1', trainedAt: '2026-11-26T09:00:00Z', backboneId: 'mobilenet_v2_0.35_224' }, previous },
      { bootstrap: { iterations: 200 }, createdAt: '2026-11-26T10:00:00Z' },
    );
    const { html } = await writeReport(dir, report);

    const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

    const facts = await page.evaluate(() => ({
      svgs: [...document.querySelectorAll('svg.plot')].map((svg) => svg.id),
      heatCells: document.querySelectorAll('#confusion .heat-cell').length,
      curves: document.querySelectorAll('#roc path.curve, #pr path.curve').length,
      // Proof that the nonce-allowed <style> applied: tables collapse borders, curves are not filled.
      borderCollapse: getComputedStyle(document.querySelector('table')!).borderCollapse,
      curveFill: getComputedStyle(document.querySelector('#roc path.curve')!).fill,
      sections: [...document.querySelectorAll('h2')].map((h) => h.textContent),
      scripts: document.scripts.length,
    }));
    await fs.mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();

    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(html).href], 'the page itself is the only request');
    assert.deepEqual(facts.svgs, ['confusion', 'roc', 'pr']);
    assert.equal(facts.heatCells, 9);
    assert.equal(facts.curves, 6);
    assert.equal(facts.borderCollapse, 'collapse');
    assert.equal(facts.curveFill, 'none');
    assert.equal(facts.scripts, 0);
    assert.deepEqual(facts.sections, [
      'Summary', 'Confusion matrix', 'Per class (one against the rest)', 'ROC and precision-recall curves',
      'Operating points', 'Per source', 'Change against v1',
    ]);
  });
});
