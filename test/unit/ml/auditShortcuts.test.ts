import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import sharp from 'sharp';
import { openDataset } from '../../../src/dataset';
import { runAudit, AUDIT_REPORT_VERSION, type AuditReport } from '../../../src/ml/audit';
import { renderAuditMarkdown } from '../../../src/ml/audit/auditMarkdown';
import { labelIssueMarks } from '../../../src/ml/audit/issueMarks';
import { readFingerprint } from '../../../src/ml/audit/perceptualHash';
import { auditShortcuts, encodeAttribute } from '../../../src/ml/audit/shortcuts';
import { seededRandom } from '../../../src/ml/splits';
import { mirrorFolder } from '../../support/mirror';
import { CXR_DIR } from '../../support/shared';

describe('audit: metadata encoding', () => {
  it('keeps common numbers exact, bins the rest and merges rare categories', () => {
    const widths = [...new Array<number>(30).fill(224), ...Array.from({ length: 20 }, (_, i) => 300 + 10 * i)];
    const encoded = encodeAttribute({ name: 'image size', columns: [{ kind: 'numeric', values: widths }] });
    assert.equal(encoded.category[0], '224');
    assert.match(encoded.rawCategory[40], /^\d+-\d+$/);
    // 224 plus at most five bins (each bin of the 20 other values has 4 items: merged into `other`).
    assert.deepEqual([...new Set(encoded.category)].sort(), ['224', 'other']);
    assert.equal(encoded.matrix.cols, 2);
    const sources = encodeAttribute({ name: 'source', columns: [{ kind: 'categorical', values: ['a', 'a', null, ...new Array<string>(10).fill('b')] }] });
    assert.deepEqual(sources.rawCategory.slice(0, 3), ['a', 'a', 'unknown']);
    assert.deepEqual(sources.category.slice(0, 4), ['other', 'other', 'other', 'b']);
  });
});

describe('audit: source shortcuts on synthetic data', () => {
  it('states that a class is predictable from the source alone and evaluates per source', async () => {
    // Class 0 comes from source A (and a few from C), class 1 from source B (and a few from C); features are noise
    // plus a small class signal, so only the source separates the classes well.
    const random = seededRandom(3);
    const n = 240;
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    const source = labels.map((label, i) => (i % 12 < 2 ? 'C' : label === 0 ? 'A' : 'B'));
    const dim = 6;
    const data = new Float64Array(n * dim);
    labels.forEach((label, i) => {
      for (let c = 0; c < dim; c++) data[i * dim + c] = random() - 0.5 + (c === 0 ? 0.3 * label : 0) + (c === 1 && source[i] === 'A' ? 1 : 0);
    });
    const probabilities = labels.map((label) => (label === 0 ? [0.7, 0.3] : [0.3, 0.7]));
    const report = await auditShortcuts({
      classes: ['COVID', 'NORMAL'],
      labels,
      attributes: [{ name: 'source', columns: [{ kind: 'categorical', values: source }] }],
      features: { data, rows: n, cols: dim },
      probabilities,
      groups: labels.map((_, i) => `p${i}`),
    });
    assert.deepEqual(report.classBySource, [
      { source: 'A', counts: [100, 0] },
      { source: 'B', counts: [0, 100] },
      { source: 'C', counts: [20, 20] },
    ]);
    const fromSource = report.classFromMetadata.find((p) => p.from === 'source');
    assert.ok(fromSource && fromSource.balancedAccuracy! > 0.85, JSON.stringify(fromSource));
    assert.ok(report.findings.some((f) => /^COVID and NORMAL are told apart by source alone: 9\d%/.test(f)), report.findings.join('\n'));
    assert.ok(report.findings.some((f) => f.startsWith('Source A holds only COVID')));
    assert.deepEqual(report.perSource.map((e) => [e.source, e.items]), [['A', 100], ['B', 100], ['C', 40]]);
    // Left out, A and B have one class only; C has both and the model trained on A and B has seen both.
    assert.deepEqual(report.leaveOneSourceOut.map((e) => e.source), ['A', 'B', 'C']);
    assert.deepEqual(report.remedies.map((r) => r.name), ['grouped-splits', 'source-balanced-training']);
  });

  it('rejects misaligned inputs', async () => {
    await assert.rejects(
      auditShortcuts({ classes: ['a', 'b'], labels: [0, 1], attributes: [], features: { data: new Float64Array(2), rows: 1, cols: 2 }, probabilities: [], groups: [] }),
      /must have 2 rows/,
    );
  });
});

describe('audit: runAudit on paper-B (pixel features)', function () {
  let report: AuditReport;

  before(async () => {
    // Features are 16 × 16 grey thumbnails, not backbone embeddings: this checks the report end to end on
    // real files and metadata in seconds; the backbone's numbers come from `npm run bench`.
    // A mirror: opening a dataset writes its state folder, and nothing may be written into ../shared.
    const mirror = mirrorFolder(CXR_DIR);
    after(() => mirror.remove());
    const root = mirror.root;
    const dataset = await openDataset(root, { files: path.join(root, 'paper-B.txt') });
    const items = dataset.items.filter((item) => !item.error);
    const side = 16;
    const data = new Float32Array(items.length * side * side);
    const fingerprints = [];
    for (const [i, item] of items.entries()) {
      const grey = await sharp(item.absPath).greyscale().resize(side, side, { fit: 'fill' }).raw({ depth: 'uchar' }).toBuffer();
      data.set(grey, i * side * side);
      fingerprints.push(await readFingerprint(item.absPath));
    }
    report = await runAudit({
      dataset: root,
      classes: dataset.classes.filter((c) => items.some((item) => item.label === c)),
      items,
      features: { data, rows: items.length, cols: side * side },
      fingerprints,
      options: { components: 32 },
    });
  });

  it('writes every section with a version', () => {
    assert.equal(report.version, AUDIT_REPORT_VERSION);
    assert.deepEqual(report.classes, ['COVID', 'NORMAL']);
    assert.equal(report.items, 516);
    const labelIssues = report.labelIssues!;
    assert.equal(report.findingIssues, undefined);
    assert.equal(Object.keys(labelIssues.scores).length, 516);
    // The issues whose label looks wrong come first, then those where the model is weak; each most suspicious first.
    const kinds = labelIssues.issues.map((i) => i.kind);
    assert.deepEqual(kinds, kinds.slice().sort());
    for (const kind of ['label', 'model'] as const) {
      const scores = labelIssues.issues.filter((i) => i.kind === kind).map((i) => i.score);
      assert.deepEqual(scores, scores.slice().sort((a, b) => b - a));
    }
    for (const issue of labelIssues.issues) {
      assert.notEqual(issue.givenLabel, issue.suggestedLabel);
      const { neighbours, sameLabel, suggestedLabel } = issue.evidence;
      assert.ok(neighbours > 0 && sameLabel + suggestedLabel <= neighbours);
      assert.equal(issue.kind, 2 * sameLabel < neighbours ? 'label' : 'model');
    }
    assert.ok(report.duplicates.clusters.every((c) => c.members.length >= 2 && c.evidence.length === c.members.length - 1));
    assert.ok(Array.isArray(report.leakage.acrossClasses));
    JSON.parse(JSON.stringify(report));
  });

  it('says why each label issue is one, on the Markdown page and in the gallery\'s marks', () => {
    const issues = report.labelIssues!.issues;
    const page = renderAuditMarkdown(report);
    const looksWrong = issues.filter((i) => i.kind === 'label').length;
    assert.match(page, new RegExp(`For ${looksWrong} of them the label looks wrong`));
    assert.match(page, /\| # \| item \| given \| suggested \| score \| why \|/);
    const reasons = labelIssueMarks(report).issueReasons;
    assert.equal(Object.keys(reasons).length, issues.length);
    for (const issue of issues) assert.match(reasons[issue.id], issue.kind === 'label' ? /^the label looks wrong: \d+ of the \d+ most similar images are / : /^the model is weak here: /);
    // An audit written before the evidence existed (format 2) still renders, with the reason left blank.
    const old = { ...report, version: 2, labelIssues: { ...report.labelIssues!, issues: issues.map(({ kind: _kind, evidence: _evidence, ...rest }) => rest) } } as unknown as AuditReport;
    assert.doesNotMatch(renderAuditMarkdown(old), /label looks wrong|model is weak/);
    assert.deepEqual(labelIssueMarks(old).issueReasons, {});
  });

  it('reports the source shortcut and where the model fails per source', () => {
    const shortcuts = report.shortcuts!;
    assert.equal(shortcuts.sourceAttribute, 'source');
    assert.ok(shortcuts.findings.some((f) => /^COVID and NORMAL are told apart by source alone: (9\d|100)%/.test(f)), shortcuts.findings.join('\n'));
    assert.ok(shortcuts.findings.some((f) => /^COVID and NORMAL are told apart by image size alone: [89]\d%/.test(f)), shortcuts.findings.join('\n'));
    assert.ok(shortcuts.findings.some((f) => /^In ieee8023 \(COVID only\) the classifier gets \d+% right/.test(f)), shortcuts.findings.join('\n'));
    const sources = shortcuts.classBySource.map((row) => row.source);
    assert.deepEqual(sources, ['ieee8023', 'kermany', 'nih14']);
    // Every source holds one class only, so leaving a source out tests the model on images of a class it
    // learned from other collections only.
    assert.ok(shortcuts.classBySource.every((row) => row.counts.filter((c) => c > 0).length === 1));
    assert.equal(shortcuts.perSource.length, 3);
    // Without ieee8023 no COVID is left to train on, so only the two NORMAL sources are left out in turn; each
    // is then tested on a model that saw NORMAL from the other collection only.
    assert.deepEqual(shortcuts.leaveOneSourceOut.map((e) => e.source), ['kermany', 'nih14']);
    const kermany = shortcuts.leaveOneSourceOut.find((e) => e.source === 'kermany')!;
    assert.ok(kermany.items > 0 && kermany.accuracy !== null);
  });
});
