import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Findings } from '../../../../src/dataset/multilabel/types';
import { resolveMultiLabelConfig } from '../../../../src/ml/multilabel/config';
import { evaluateFindings } from '../../../../src/ml/multilabel/findingMetrics';
import { renderMultiLabelHtml } from '../../../../src/ml/multilabel/reportHtml';
import { MULTILABEL_VERSION_FORMAT, type MultiLabelVersionInfo } from '../../../../src/ml/multilabel/versionStore';
import { writeMultiLabelReport } from '../../../../src/ml/multilabel/writeMultiLabelReport';
import { formatDelta } from '../../../../src/ml/report/format';
import { escapeXml } from '../../../../src/ml/report/svg';
import { lcg } from './synthetic';

const EVIL = '<script>alert(1)</script> & Co';
const FINDINGS = ['Effusion', EVIL, 'Edema'];

/** `n` items whose probability of finding f is its truth plus noise of amplitude `noise`; patients of two items. */
function synthetic(findings: readonly string[], noise: number, seed: number): { states: Findings[]; probs: Float32Array; groups: string[] } {
  const random = lcg(seed);
  const n = 80;
  const states: Findings[] = [];
  const probs = new Float32Array(n * findings.length);
  for (let i = 0; i < n; i++) {
    states.push(Object.fromEntries(findings.map((finding, f) => {
      const present = random() < 0.35;
      probs[i * findings.length + f] = Math.min(1, Math.max(0, (present ? 0.6 : 0.4) + (random() - 0.5) * noise));
      return [finding, present ? 'positive' : 'negative'];
    })));
  }
  return { states, probs, groups: states.map((_, i) => `p${Math.floor(i / 2)}`) };
}

function versionInfo(modelVersion: number, parent: number | null, findings: readonly string[], noise: number): MultiLabelVersionInfo {
  const data = synthetic(findings, noise, 7);
  const metrics = evaluateFindings({ findings, ...data, config: { unmentioned: 'negative' }, bootstrap: { iterations: 60, seed: 1 } });
  return {
    version: MULTILABEL_VERSION_FORMAT,
    kind: 'multilabel',
    modelVersion,
    parent,
    createdAt: '2026-11-26T10:00:00.000Z',
    findings: [...findings],
    leftOut: [{ finding: 'Hernia', positives: 3, reason: 'fewer than 10 positives' }],
    thresholds: metrics.findings.map((f) => f.threshold),
    thresholdMethod: 'youden',
    positiveWeights: findings.map(() => 1),
    backbone: { id: 'builtin:tiny', digest: 'd', location: 'builtin:tiny', fineTunedBlocks: 0, inputSize: [64, 64], featureDim: 8, preprocessVersion: 1 },
    trainConfig: resolveMultiLabelConfig(),
    labelsFingerprint: 'f',
    trainedOn: {
      train: 320,
      validation: 80,
      split: 'iterative',
      groupedBy: 'Patient ID',
      perFinding: Object.fromEntries(findings.map((f, i) => [f, { positives: 100 + i, negatives: 200 + i, ignored: i }])),
    },
    warmStarted: [],
    bestEpoch: 3,
    history: [],
    metrics,
  };
}

/** The Findings section's row of a finding (the first cell is the escaped name). */
function findingRow(html: string, finding: string): string {
  const start = html.indexOf('<h2>Findings</h2>');
  const findingsSection = html.slice(start, html.indexOf('</section>', start));
  const row = findingsSection.split('<tr>').find((r) => r.startsWith(`<th scope="row">${escapeXml(finding)}</th>`));
  assert.ok(row, `no row for ${finding}`);
  return row;
}

function intervalText(m: { estimate: number | null; low: number | null; high: number | null }): string {
  return `${m.estimate!.toFixed(2)}<span class="ci">${m.low!.toFixed(2)}–${m.high!.toFixed(2)}</span>`;
}

describe('ml/multilabel HTML report', () => {
  const info = versionInfo(3, 2, FINDINGS, 0.5);
  // The parent is noisier and lacks the evil finding.
  const parent = versionInfo(2, null, ['Effusion', 'Edema'], 1.2);
  const html = renderMultiLabelHtml({ info, parent, datasetName: 'nih & co' }, { nonce: 'abc123' });

  it('shows each finding with its AUC, AP and interval, and the mean AUC', () => {
    for (const f of info.metrics.findings) {
      const row = findingRow(html, f.finding);
      assert.ok(row.startsWith(`<th scope="row">${escapeXml(f.finding)}</th><td>${f.support}</td>`), row);
      assert.ok(row.includes(`<td>${intervalText(f.auc)}</td><td>${intervalText(f.averagePrecision)}</td>`), row);
      assert.ok(row.includes(`<span class="detail">Youden</span>`));
    }
    assert.ok(findingRow(html, 'Mean AUC').includes(intervalText(info.metrics.meanAuc)));
    assert.ok(html.includes('<title>Findings report v3 · nih &#38; co</title>'));
    assert.ok(html.includes(`<dt>Mean AUC</dt><dd>${info.metrics.meanAuc.estimate!.toFixed(2)} (`));
    assert.ok(html.includes('<dt>Bootstrap</dt><dd>95% percentile intervals, 60 resamples of patients (seed 1)</dd>'));
    assert.ok(html.includes(`<footer>Multi-label report format version ${MULTILABEL_VERSION_FORMAT} · made by xray-curator</footer>`));
  });

  it('shows the signed AUC change against the parent, and "new" for a finding it lacked', () => {
    assert.ok(html.includes('<th scope="col">Δ AUC vs v2</th>'));
    for (const [i, finding] of ['Effusion', 'Edema'].entries()) {
      const current = info.metrics.findings.find((f) => f.finding === finding)!.auc.estimate!;
      const previous = parent.metrics.findings[i].auc.estimate!;
      assert.notEqual(current, previous);
      const text = formatDelta(current - previous);
      assert.match(text, /^[+−]\d\.\d{3}$/);
      assert.ok(findingRow(html, finding).endsWith(`<td>${text}</td></tr>`), findingRow(html, finding));
    }
    assert.ok(findingRow(html, EVIL).endsWith('<td>new</td></tr>'));
    const noParent = renderMultiLabelHtml({ info, datasetName: 'nih' });
    assert.ok(!noParent.includes('Δ AUC'));
  });

  it('lists the left-out findings and the training labels', () => {
    assert.ok(html.includes('<h2>Left out</h2>'));
    assert.ok(html.includes('<th scope="row">Hernia</th><td>3</td><td>fewer than 10 positives</td>'));
    assert.ok(html.includes(`<th scope="row">${escapeXml(EVIL)}</th><td>101</td><td>201</td><td>1</td>`));
    assert.ok(!renderMultiLabelHtml({ info: { ...info, leftOut: [] }, datasetName: 'nih' }).includes('Left out'));
  });

  it('draws the co-occurrence heat map with one cell per pair and its count', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    assert.match(svg, /id="cooccurrence"[^>]* role="img" aria-label="Co-occurrence of findings/);
    const cells = [...svg.matchAll(/<g class="heat-cell[^"]*"><title>([^<]*)<\/title><rect [^>]*\/><text [^>]*>(\d+)<\/text><\/g>/g)];
    assert.equal(cells.length, FINDINGS.length ** 2);
    // The expected counts, from the labels themselves.
    const { states } = synthetic(FINDINGS, 0.5, 7);
    const both = (a: string, b: string): number => states.filter((s) => s[a] === 'positive' && s[b] === 'positive').length;
    FINDINGS.forEach((a, r) => FINDINGS.forEach((b, c) => {
      const [, title, count] = cells[r * FINDINGS.length + c];
      assert.equal(Number(count), both(a, b), `${a} × ${b}`);
      assert.ok(title.startsWith(escapeXml(a)), title);
    }));
    assert.ok(both('Effusion', 'Edema') > 0, 'an off-diagonal count to check');
    assert.equal((svg.match(/rotate\(-40\)/g) ?? []).length, FINDINGS.length, 'rotated column labels');
  });

  it('escapes names from the data and forbids everything but its own style', () => {
    assert.ok(!html.includes('<script'), 'a raw <script>');
    assert.ok(html.includes(escapeXml(EVIL)));
    assert.ok(!/&(?!#\d+;)/.test(html), 'an unescaped &');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;nonce-abc123&#39;;/);
  });

  it('writes the HTML and JSON files into the reports folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-mlreport-'));
    try {
      const paths = await writeMultiLabelReport(dir, { info, parent, datasetName: 'nih' });
      assert.deepEqual(paths, { html: path.join(dir, 'reports', 'findings-v3.html'), json: path.join(dir, 'reports', 'findings-v3.json') });
      assert.match(fs.readFileSync(paths.html, 'utf8'), /^<!DOCTYPE html>/);
      const json = JSON.parse(fs.readFileSync(paths.json, 'utf8')) as Record<string, unknown>;
      assert.equal(json.version, MULTILABEL_VERSION_FORMAT);
      assert.deepEqual([json.kind, json.modelVersion, json.parent, json.datasetName], ['multilabel-report', 3, 2, 'nih']);
      assert.deepEqual(json.metrics, info.metrics);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'reports')).sort(), ['findings-v3.html', 'findings-v3.json'], 'no temporary file left');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
