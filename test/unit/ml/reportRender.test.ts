import * as assert from 'node:assert/strict';
import { buildReport, renderHtml, renderMarkdown } from '../../../src/ml/report';
import type { Report, ReportItem } from '../../../src/ml/report';
import { THREE_CLASSES, threeClassItems, TWO_CLASSES, twoClassItems } from './reportFixtures';

const EVIL_CLASS = '<script>alert(1)</script>';
const EVIL_SOURCE = '"><img src=x onerror=alert(2)>';

function pointReport(): Report {
  return buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version: 'v1' } }, { bootstrap: false, createdAt: '2026-11-26T10:00:00.000Z' });
}

/** Class names, a source and a model version that would run script if pasted into the page unescaped. */
function evilReport(): Report {
  const classes = ['NORMAL', EVIL_CLASS];
  const items: ReportItem[] = twoClassItems().map((item) => ({ ...item, label: item.label === 'COVID' ? EVIL_CLASS : item.label, source: EVIL_SOURCE }));
  const previous = buildReport({ classes, items: items.slice(1), model: { version: '<b>v0</b>' } }, { bootstrap: false, minSourceItems: 2 });
  return buildReport({ classes, items, model: { version: '<i>v1</i>', parent: '<b>v0</b>' }, previous, title: '<h1>title</h1>' }, { bootstrap: { iterations: 50 }, minSourceItems: 2 });
}

describe('report: Markdown', () => {
  it('writes the hand-computed numbers into its tables', () => {
    const md = renderMarkdown(pointReport());
    assert.match(md, /^# Model v1: balanced metrics$/m);
    assert.ok(md.includes('| Accuracy | 0.80 |  |'), 'accuracy without an interval');
    assert.ok(md.includes('| MCC | 0.60 |  |'));
    assert.ok(md.includes("| Cohen's kappa | 0.60 |  |"));
    assert.ok(md.includes('| NORMAL | 4 (80.0%) | 1 (20.0%) | 5 |'), 'confusion row with row percentages');
    assert.ok(md.includes('| COVID | 5 | 5 | 0.80 | 0.80 | 0.80 | 0.80 | 0.80 | 0.96 |'), 'per-class row, AUC 24/25');
    assert.ok(md.includes('| COVID | sensitivity ≥ 0.95 | 0.4000 | 1.000 | 0.800 | 0.833 | 1.000 | 5 / 1 / 4 / 0 |'), 'operating point row');
    assert.ok(md.includes('| COVID | specificity ≥ 0.95 | 0.6000 | 0.800 | 1.000 | 1.000 | 0.833 | 4 / 0 / 5 / 1 |'));
    assert.ok(!md.includes('## Per source'), 'no source column, no source section');
  });

  it('shows intervals as "estimate (low–high)" and a source breakdown', () => {
    const report = buildReport({ classes: THREE_CLASSES, items: threeClassItems(), model: { version: 'v2' } }, { bootstrap: { iterations: 100 } });
    const md = renderMarkdown(report);
    const accuracy = report.evaluation.accuracy;
    assert.ok(md.includes(`| Accuracy | ${accuracy.estimate!.toFixed(2)} | ${accuracy.low!.toFixed(2)}–${accuracy.high!.toFixed(2)} |`));
    const sensitivity = report.evaluation.perClass[0].sensitivity;
    assert.ok(md.includes(`| COVID | 60 | ${report.evaluation.perClass[0].predicted} | ${sensitivity.estimate!.toFixed(2)} (${sensitivity.low!.toFixed(2)}–${sensitivity.high!.toFixed(2)}) |`));
    assert.match(md, /^\| kermany \| 87 \| .* \| no items \| .*, n = 29 \| .*, n = 58 \|$/m);
    assert.match(md, /^\| tiny \| 8 \| COVID 3, NORMAL 3, PNEUMONIA 2: only 8 items \(fewer than 20\): not evaluated \|/m);
  });

  it('escapes names from the data', () => {
    const md = renderMarkdown(evilReport());
    // The Markdown has no tag of its own: every `<` comes from the data and must be escaped.
    assert.ok(!/(^|[^\\])</m.test(md), 'an unescaped < in the Markdown');
    assert.ok(md.includes('\\<script\\>alert(1)\\</script\\>'));
  });
});

describe('report: HTML', () => {
  const classCount = (html: string, name: string): number => html.split(`class="${name}`).length - 1;

  it('has the heat map, the curves and the tables', () => {
    const html = renderHtml(pointReport(), { nonce: 'abc123' });
    assert.match(html, /^<!DOCTYPE html>/);
    for (const id of ['confusion', 'roc', 'pr']) assert.ok(html.includes(`<svg xmlns="http://www.w3.org/2000/svg" class="plot" id="${id}"`), id);
    assert.equal(classCount(html, 'heat-cell'), 4);
    assert.equal(classCount(html, 'heat-cell diagonal'), 2);
    assert.ok(html.includes('class="cell-count on-dark">4</text>') && html.includes('>80.0%</text>'), 'count and row share on the cells');
    assert.ok(html.includes('class="cell-count on-light">1</text>') && html.includes('>20.0%</text>'));
    assert.equal(classCount(html, 'curve'), 8, 'two ROC, two PR curves and their four legend lines');
    assert.ok(html.includes('COVID (AUC 0.96)') && html.includes('class="reference"'), 'AUC in the legend, chance diagonal');
    assert.ok(html.includes('<th scope="row">Accuracy</th><td>0.80</td>'));
  });

  it('draws the ROC curve from (0, 0) to (1, 1) and the PR steps from recall 0 to 1', () => {
    const html = renderHtml(pointReport(), { nonce: 'n' });
    const paths = [...html.matchAll(/<path d="([^"]+)" class="curve"/g)].map((m) => m[1]);
    assert.equal(paths.length, 4);
    // Plot area: x = 58 + v * 300, y = 16 + (1 - v) * 300.
    for (const roc of paths.slice(0, 2)) {
      assert.ok(roc.startsWith('M58.0 316.0'), roc);
      assert.ok(roc.endsWith('L358.0 16.0'), roc);
    }
    for (const pr of paths.slice(2)) {
      assert.ok(pr.startsWith('M58.0 '), pr);
      assert.match(pr, /L358\.0 [\d.]+$/);
    }
  });

  it('allows its one style by nonce, has no script, no inline style attribute and no external resource', () => {
    const html = renderHtml(pointReport(), { nonce: 'abc123', cspSource: 'https://webview.test' });
    assert.ok(html.includes(`content="default-src &#39;none&#39;; style-src &#39;nonce-abc123&#39; https://webview.test;`));
    assert.ok(html.includes('<style nonce="abc123">'));
    assert.equal(html.split('<style').length - 1, 1);
    assert.ok(!/<script|\sstyle=|\ssrc=|\shref=|url\(/i.test(html));
    assert.deepEqual([...new Set(html.match(/https?:\/\/[^\s"');]+/g))].sort(), ['http://www.w3.org/2000/svg', 'https://webview.test']);
  });

  it('makes a fresh nonce when none is given', () => {
    const nonces = [renderHtml(pointReport()), renderHtml(pointReport())].map((html) => /<style nonce="([^"]+)">/.exec(html)![1]);
    assert.ok(nonces[0].length >= 16 && nonces[0] !== nonces[1], nonces.join(' '));
  });

  it('escapes every name from the data', () => {
    const html = renderHtml(evilReport(), { nonce: 'n' });
    assert.ok(!html.includes('<script') && !html.includes('<img') && !html.includes('<b>') && !html.includes('<i>') && !html.includes('<h1>title'), 'no tag from the data');
    assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'), 'the class name is shown as text');
    assert.ok(html.includes('&#34;&#62;&#60;img src=x onerror=alert(2)&#62;'), 'the source is shown as text');
    assert.ok(html.includes('<title>&#60;h1&#62;title&#60;/h1&#62;</title>'));
    assert.ok(html.includes('Change against &#60;b&#62;v0&#60;/b&#62;'));
  });

  it('marks metrics that got worse', () => {
    const previous = buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version: 'v1' } }, { bootstrap: false });
    const report = buildReport({ classes: TWO_CLASSES, items: twoClassItems({ worse: true }), model: { version: 'v2', parent: 'v1' }, previous }, { bootstrap: false });
    const html = renderHtml(report, { nonce: 'n' });
    assert.ok(html.includes('<li>Accuracy 0.800 → 0.700 (−0.100)</li>'));
    assert.ok(html.includes('<th scope="row">Accuracy</th><td>0.80</td><td>0.70</td><td class="worse">−0.100 ▼</td>'));
    assert.ok(html.includes('<th scope="row">Macro F1</th>'));
    assert.ok(renderMarkdown(report).includes('| Accuracy | 0.80 | 0.70 | −0.100 ▼ |'));
  });
});

describe('report: the data audit section', () => {
  const audit = {
    file: '/data/.xray-curator/audits/audit-1.json',
    summary: '120 items audited: 7 label issues, 0 duplicate clusters',
    labelIssues: 7,
    duplicateClusters: 0,
    findings: ['NORMAL is predictable from source alone: 99%', 'a <b>bold</b> source'],
  };

  it('carries the newest audit\'s findings into HTML and Markdown, escaped', () => {
    const report = buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version: 'v1' }, audit }, { bootstrap: false });
    assert.deepEqual(report.audit, audit);
    const html = renderHtml(report, { nonce: 'n' });
    assert.match(html, /<h2[^>]*>Data audit<\/h2>/);
    assert.match(html, /<li>NORMAL is predictable from source alone: 99%<\/li>/);
    assert.ok(html.includes('a &#60;b&#62;bold&#60;/b&#62; source'), 'the finding is escaped');
    assert.doesNotMatch(html, /<b>bold/);
    const md = renderMarkdown(report);
    assert.match(md, /## Data audit\n\n120 items audited: 7 label issues/);
    assert.match(md, /- NORMAL is predictable from source alone: 99%/);
    assert.match(md, /a \\<b\\>bold\\<\/b\\> source/);
  });

  it('has no audit section without an audit', () => {
    const report = buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version: 'v1' } }, { bootstrap: false });
    assert.equal(report.audit, null);
    assert.doesNotMatch(renderHtml(report, { nonce: 'n' }), /Data audit/);
    assert.doesNotMatch(renderMarkdown(report), /Data audit/);
  });
});
