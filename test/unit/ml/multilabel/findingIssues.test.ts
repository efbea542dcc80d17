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
    // No source or other metadata: each checked finding is audited, and only the grouped-splits remedy has a figure.
    assert.match(page, /## Source shortcuts per finding[\s\S]*### A\n\n- grouped-splits[\s\S]*### B\n\n- grouped-splits/);
    assert.deepEqual((await audit).findingShortcuts?.map((f) => [f.finding, f.shortcuts.findings.filter((text) => !text.startsWith('grouped-splits'))]), [['A', []], ['B', []]]);
  });
});

// The source-shortcut audit per finding: a finding that one source holds nearly all of is told apart by the source
// alone; a finding spread over the sources is not.
describe('source shortcuts per finding (multi-label audit)', () => {
  const n = 400;
  const dim = 16;
  const { features, states } = syntheticFindings(n, dim, ['A', 'B'], 11);
  // A's positives come from the ICU scanner, all but every tenth; B's are spread over both sources.
  const items: AuditItem[] = states.map((findings, i) => ({
    id: `img/${i}.png`,
    label: null,
    hash: null,
    metadata: { source: (findings.A === 'positive') !== (i % 10 === 0) ? 'icu' : 'clinic' },
    findings,
  }));
  const audit = runAudit({ dataset: 'synthetic', classes: [], items, features: { data: Float64Array.from(features), rows: n, cols: dim }, multiLabel: { findings: ['A', 'B'] } });

  it("finds that A is told apart by its source alone and B is not, and says so in the report", async () => {
    const report = await audit;
    assert.deepEqual(report.findingShortcuts?.map((f) => f.finding), ['A', 'B']);
    const bySource = (finding: string) => report.findingShortcuts!.find((f) => f.finding === finding)!.shortcuts.classFromMetadata.find((p) => p.from === 'source')!.balancedAccuracy!;
    assert.ok(bySource('A') >= 0.85, `A from the source alone: ${bySource('A')}`);
    assert.ok(bySource('B') < 0.65, `B from the source alone: ${bySource('B')}`);
    const [a, b] = report.findingShortcuts!.map((f) => f.shortcuts);
    assert.ok(a.findings.some((text) => /^no A and A are told apart by source alone/.test(text)), a.findings.join('\n'));
    assert.ok(!b.findings.some((text) => /told apart by source alone/.test(text)), b.findings.join('\n'));
    // What the embeddings reveal of the source is found once and shared.
    assert.deepEqual(b.metadataFromEmbeddings, a.metadataFromEmbeddings);
    assert.ok(report.timings.shortcuts >= 0 && report.timings.labelIssues >= 0);
    const page = renderAuditMarkdown(report);
    assert.match(page, /## Source shortcuts per finding[\s\S]*### A\n\n- no A and A are told apart by source alone[\s\S]*### B/);
    assert.ok(!report.warnings.some((w) => /audited per class/.test(w)));
  });
});
