import * as assert from 'node:assert/strict';
import { runAudit, AUDIT_REPORT_VERSION, type AuditItem } from '../../../../src/ml/audit';
import { renderAuditMarkdown } from '../../../../src/ml/audit/auditMarkdown';
import { labelIssueCount, labelIssueMarks } from '../../../../src/ml/audit/issueMarks';
import { suggestedFindingsOf } from '../../../../src/ml/multilabel/findingIssues';
import { syntheticFindings } from './synthetic';

// Confident learning per finding, on synthetic embeddings where feature j decides finding j: labels flipped far from
// the boundary must come back as issues with their true state suggested, and uncertain ones as "to resolve".
describe('label issues per finding (multi-label audit)', () => {
  const n = 400;
  const dim = 16;
  const { features, states } = syntheticFindings(n, dim, ['A', 'B', 'C'], 7);
  const feature = (i: number, j: number): number => features[i * dim + j];
  // Truly positive items labelled negative (two) or unmentioned (two), and truly negative ones labelled positive.
  const flipped = new Map<string, 'positive' | 'negative'>();
  const given = new Map<string, string>();
  const uncertain = new Set<string>();
  const id = (i: number): string => `img/${String(i).padStart(3, '0')}.png`;
  for (let i = 0; i < n; i++) {
    const f0 = feature(i, 0);
    if (f0 > 2 && flipped.size < 4) {
      flipped.set(id(i), 'positive');
      states[i].A = flipped.size <= 2 ? 'negative' : 'unmentioned';
      given.set(id(i), states[i].A);
    } else if (f0 < -1.5 && flipped.size >= 4 && flipped.size < 8) {
      flipped.set(id(i), 'negative');
      states[i].A = 'positive';
      given.set(id(i), states[i].A);
    } else if (f0 > 1.8 && uncertain.size < 5) {
      uncertain.add(id(i));
      states[i].A = 'uncertain';
    }
    // C has 3 positives: too few to check.
    states[i].C = i < 3 ? 'positive' : 'negative';
  }
  const items: AuditItem[] = states.map((findings, i) => ({ id: id(i), label: null, hash: null, metadata: {}, findings }));
  const audit = runAudit({
    dataset: 'synthetic',
    classes: [],
    items,
    features: { data: Float64Array.from(features), rows: n, cols: dim },
    multiLabel: { findings: ['A', 'B', 'C'] },
  });

  it('finds each flipped finding label, suggests its true state, and leaves the single-label sections empty', async () => {
    const report = await audit;
    assert.equal(report.version, AUDIT_REPORT_VERSION);
    assert.equal(report.labelIssues, null);
    assert.equal(report.shortcuts, null);
    const section = report.findingIssues!;
    assert.deepEqual(section.findings.map((f) => f.finding), ['A', 'B']);
    assert.deepEqual(section.leftOut, [{ finding: 'C', positives: 3, negatives: 397 }]);
    assert.equal(flipped.size, 8);
    const ofA = section.issues.filter((issue) => issue.finding === 'A');
    for (const [item, truth] of flipped) {
      const issue = ofA.find((i) => i.id === item);
      assert.ok(issue, `${item} (flipped from ${truth}) is not an issue`);
      assert.equal(issue.suggested, truth);
      assert.equal(issue.given, given.get(item));
    }
    // The flipped labels rank first: the rest are the few near the boundary that the noise made ambiguous.
    const top = ofA.slice(0, flipped.size).filter((issue) => flipped.has(issue.id)).length;
    assert.ok(top >= 6, `${top} of the top ${flipped.size} issues of A are the flipped labels`);
    assert.ok(ofA.length <= 3 * flipped.size, `${ofA.length} issues of A for ${flipped.size} flipped`);
    const scores = section.issues.map((i) => i.score);
    assert.deepEqual(scores, scores.slice().sort((a, b) => b - a));
    assert.equal(labelIssueCount(report), section.issues.length);
  });

  it('lists uncertain labels to resolve, leaning to the side the embeddings say, never as errors', async () => {
    const section = (await audit).findingIssues!;
    assert.deepEqual(new Set(section.toResolve.map((t) => t.id)), uncertain);
    for (const t of section.toResolve) {
      assert.equal(t.suggested, 'positive', `${t.id} has feature A > 1.8`);
      assert.ok(t.probability > 0.5 && t.probability <= 1);
      assert.ok(!section.issues.some((issue) => issue.id === t.id && issue.finding === 'A'));
      assert.ok(section.scores[t.id] >= 0.5);
    }
    assert.equal(Object.keys(section.scores).length, n, 'every item has an issue score');
  });

  it('gives the gallery one suggestion per item: its worst error first, else its uncertain label', async () => {
    const report = await audit;
    const marks = labelIssueMarks(report);
    assert.deepEqual(marks.suggestedLabels, {});
    for (const [item, truth] of flipped) assert.deepEqual(marks.suggestedFindings[item], { finding: 'A', state: truth });
    for (const item of uncertain) assert.equal(marks.suggestedFindings[item].toResolve, true);
    const both = suggestedFindingsOf({
      issues: [{ id: 'x', finding: 'B', given: 'negative', suggested: 'positive', score: 0.9 }],
      toResolve: [{ id: 'x', finding: 'A', probability: 0.9, suggested: 'positive' }, { id: 'y', finding: 'A', probability: 0.2, suggested: 'negative' }],
    });
    assert.deepEqual(both, { x: { finding: 'B', state: 'positive' }, y: { finding: 'A', state: 'negative', toResolve: true } });
  });

  it('writes the findings table and the uncertain labels into the Markdown page', async () => {
    const page = renderAuditMarkdown(await audit);
    assert.match(page, /multi-label: findings A, B, C/);
    assert.match(page, /## Label issues per finding/);
    assert.match(page, /Not checked \(too few labels on one side\): C \(3 positive, 397 negative\)/);
    assert.match(page, /### Uncertain labels to resolve/);
    assert.match(page, /Not audited: the shortcut audit is per class/);
  });
});
