import * as assert from 'node:assert/strict';
import type { DatasetReadings } from '../../../../src/dataset/readers';
import { buildAgreement, buildAgreementReport, ONE_CATEGORY, renderAgreementHtml, renderAgreementMarkdown } from '../../../../src/ml/agreement';
import type { PairKappa } from '../../../../src/ml/agreement';
import { PLAN, PLAN_CLASSES, PLAN_KAPPAS, PLAN_PREDICTED } from './plan';
import { unitsFromGrid } from './fixtures';

const close = (actual: number | null | undefined, expected: number): void => {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);
};
const kappaOf = (pairs: readonly PairKappa[], a: string, b: string): PairKappa => pairs.find((p) => p.readers.join() === `${a},${b}`)!;

/** The plan as journal-style readings (images img1..img12). */
function planReadings(): DatasetReadings {
  const readings = Object.entries(PLAN).flatMap(([reader, values]) => values.flatMap((value, i) => (value === null ? [] : [{ item: `img${String(i + 1).padStart(2, '0')}`, reader, value }])));
  return { kind: 'single-label', classes: [...PLAN_CLASSES], readings };
}

/** JSON writes NaN as null: look at the numbers themselves. */
function assertNoNaN(value: unknown, where = ''): void {
  if (typeof value === 'number') assert.ok(!Number.isNaN(value), `NaN at ${where}`);
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) assertNoNaN(child, `${where}.${key}`);
}

describe('agreement statistics of a dataset', () => {
  it("gives the plan's hand-computed kappas, alpha, per-class kappa, confusion and prevalence", () => {
    const report = buildAgreementReport({ dataset: 'plan', readings: planReadings(), rule: { kind: 'majority' }, options: { iterations: 300 } });
    assert.deepEqual(report.readers, ['A', 'B', 'C']);
    assert.equal(report.items, 12);
    assert.deepEqual(report.pairs.map((p) => [p.readers.join('–'), p.n]), [['A–B', 12], ['A–C', 11], ['B–C', 11]]);
    close(kappaOf(report.pairs, 'A', 'B').kappa.estimate, PLAN_KAPPAS.AB);
    close(kappaOf(report.pairs, 'A', 'C').kappa.estimate, PLAN_KAPPAS.AC);
    close(kappaOf(report.pairs, 'B', 'C').kappa.estimate, PLAN_KAPPAS.BC);
    close(report.fleiss.estimate, PLAN_KAPPAS.fleiss);
    close(report.alpha.estimate, PLAN_KAPPAS.alpha);
    const covid = report.perClass.find((c) => c.name === 'COVID')!;
    close(kappaOf(covid.pairs, 'A', 'B').kappa.estimate, PLAN_KAPPAS.covidAB);
    // A against B: rows A, columns B (COVID, NORMAL, PNEUMONIA).
    assert.deepEqual(report.confusion[0], { readers: ['A', 'B'], categories: ['COVID', 'NORMAL', 'PNEUMONIA'], counts: [[3, 1, 0], [0, 3, 1], [1, 0, 3]] });
    // C read 11 images: COVID 4, NORMAL 5, PNEUMONIA 2.
    assert.deepEqual(report.prevalence[2], { reader: 'C', n: 11, counts: { COVID: 4, NORMAL: 5, PNEUMONIA: 2 }, shares: { COVID: 4 / 11, NORMAL: 5 / 11, PNEUMONIA: 2 / 11 } });
    assert.deepEqual(report.consensus, { rule: 'majority', settled: 11, unsettled: [{ item: 'img12', reason: 'tie: COVID 1, PNEUMONIA 1', readings: { A: 'PNEUMONIA', B: 'COVID' } }] });
    assert.equal(report.modelVsReaders, undefined);
  });

  it('draws a seeded percentile interval around the estimate; the same seed gives the same interval', () => {
    const input = { dataset: 'plan', readings: planReadings(), rule: { kind: 'majority' } as const };
    const first = buildAgreementReport({ ...input, options: { iterations: 400, seed: 7 } });
    const again = buildAgreementReport({ ...input, options: { iterations: 400, seed: 7 } });
    const other = buildAgreementReport({ ...input, options: { iterations: 400, seed: 8 } });
    for (const e of [first.fleiss, first.alpha, ...first.pairs.map((p) => p.kappa)]) {
      assert.ok(e.low! <= e.estimate! && e.estimate! <= e.high!, JSON.stringify(e));
      assert.ok(e.high! - e.low! > 0.05, `a 12-image interval is wide: ${JSON.stringify(e)}`);
      assert.ok(e.replicates > 300 && e.replicates <= 400);
    }
    assert.deepEqual(again.fleiss, first.fleiss);
    assert.notDeepEqual(other.fleiss, first.fleiss);
    assert.deepEqual(buildAgreementReport(input).bootstrap, { iterations: 1000, seed: 0, alpha: 0.05, unit: 'image' });
  });

  it('measures the model and every reader against the consensus', () => {
    const predicted = new Map(PLAN_PREDICTED.map((value, i) => [`img${String(i + 1).padStart(2, '0')}`, value]));
    const report = buildAgreementReport({ dataset: 'plan', readings: planReadings(), rule: { kind: 'majority' }, predictions: { modelVersion: 'v1', classes: [...PLAN_CLASSES], predicted }, options: { iterations: 200 } });
    const versus = report.modelVsReaders!;
    assert.equal(versus.n, 11);
    const points = (perClass: typeof versus.model) => perClass.map((p) => [p.class, p.truePositives, p.positives, p.trueNegatives, p.negatives]);
    const expected = [['COVID', 3, 4, 7, 7], ['NORMAL', 3, 4, 6, 7], ['PNEUMONIA', 3, 3, 7, 8]];
    assert.deepEqual(points(versus.model), expected);
    const b = versus.readers.find((r) => r.reader === 'B')!;
    assert.deepEqual(points(b.perClass), expected);
    assert.deepEqual([b.perClass[1].sensitivity, b.perClass[1].specificity], [3 / 4, 6 / 7]);
    const a = versus.readers.find((r) => r.reader === 'A')!;
    assert.equal(a.modelKappa.n, 12);
    close(a.modelKappa.kappa.estimate, PLAN_KAPPAS.modelA);
    // A is the consensus on every settled image: sensitivity and specificity 1 for every class.
    assert.deepEqual(a.perClass.map((p) => [p.sensitivity, p.specificity]), [[1, 1], [1, 1], [1, 1]]);
  });

  it("draws the model's ROC curve per class against the consensus, with each reader's point on it", () => {
    // Truth A A B B; R1 and R2 read it, R3 calls item 4 A: the majority is the truth.
    const truth = ['A', 'A', 'B', 'B'];
    const readings: DatasetReadings = {
      kind: 'single-label',
      classes: ['A', 'B'],
      readings: ['R1', 'R2', 'R3'].flatMap((reader) => truth.map((value, i) => ({ item: `i${i + 1}`, reader, value: reader === 'R3' && i === 3 ? 'A' : value }))),
    };
    const pA = [0.9, 0.4, 0.6, 0.1];
    const probabilities = new Map(pA.map((p, i) => [`i${i + 1}`, [p, 1 - p]]));
    const predicted = new Map(pA.map((p, i) => [`i${i + 1}`, p >= 0.5 ? 'A' : 'B']));
    const report = buildAgreementReport({ dataset: 'roc', readings, rule: { kind: 'majority' }, predictions: { modelVersion: 'v3', classes: ['A', 'B'], predicted, probabilities }, options: { iterations: 50 } });
    const [a, b] = report.modelVsReaders!.curves!;
    // A's positives score 0.9 and 0.4, its negatives 0.6 and 0.1: 3 of the 4 pairs are ranked right.
    assert.equal(a.auc, 0.75);
    assert.deepEqual([a.fpr, a.tpr], [[0, 0, 0.5, 0.5, 1], [0, 0.5, 0.5, 1, 1]]);
    assert.equal(b.auc, 0.75);
    const r3 = report.modelVsReaders!.readers.find((r) => r.reader === 'R3')!;
    assert.deepEqual(r3.perClass.map((p) => [p.class, p.sensitivity, p.specificity]), [['A', 1, 0.5], ['B', 0.5, 1]]);

    const html = renderAgreementHtml(report);
    assert.match(html, /The model&#39;s ROC AUC against the consensus: A 0\.75, B 0\.75\./);
    for (const id of ['roc-readers-0', 'roc-readers-1']) assert.ok(html.includes(`id="${id}"`), id);
    // Per class: three readers' dots and the model's hollow one.
    assert.equal(html.match(/<circle [^>]*class="mark"/g)?.length, 6);
    assert.equal(html.match(/<circle [^>]*class="mark hollow"/g)?.length, 2);
    assert.ok(!renderAgreementMarkdown(report).includes('<svg'), 'the Markdown report has the numbers, not the picture');
  });

  it('thins a long ROC curve to at most 200 points, from (0, 0) to (1, 1)', () => {
    const n = 1000;
    const readings: DatasetReadings = { kind: 'single-label', classes: ['A', 'B'], readings: Array.from({ length: n }, (_, i) => ({ item: `i${i}`, reader: 'R1', value: i % 2 ? 'A' : 'B' })) };
    const probabilities = new Map(Array.from({ length: n }, (_, i) => [`i${i}`, [(i * 7919) % n / n, 1 - ((i * 7919) % n) / n]]));
    const predicted = new Map([...probabilities].map(([id, [p]]) => [id, p >= 0.5 ? 'A' : 'B']));
    const report = buildAgreementReport({ dataset: 'long', readings, rule: { kind: 'majority' }, predictions: { modelVersion: 'v1', classes: ['A', 'B'], predicted, probabilities }, options: { iterations: 10 } });
    const [curve] = report.modelVsReaders!.curves!;
    assert.equal(curve.fpr.length, 200);
    assert.deepEqual([curve.fpr[0], curve.tpr[0], curve.fpr.at(-1), curve.tpr.at(-1)], [0, 0, 1, 1]);
    assert.ok(curve.fpr.every((x, i) => i === 0 || x >= curve.fpr[i - 1]), 'the thinned curve still runs left to right');
  });

  it("multi-label: each finding's ROC curve of the findings model, the readers' points on it, the model at its threshold", () => {
    // F1 by majority: i1 i2 positive, i3 i4 negative; R3 calls i4 positive too. F2: nobody read it.
    const truth = ['positive', 'positive', 'negative', 'negative'] as const;
    const readings: DatasetReadings = {
      kind: 'multi-label',
      findings: ['F1', 'F2'],
      readings: ['R1', 'R2', 'R3'].flatMap((reader) => truth.map((state, i) => ({ item: `i${i + 1}`, reader, value: { F1: reader === 'R3' && i === 3 ? ('positive' as const) : state } }))),
    };
    const probabilities = new Map([0.9, 0.4, 0.6, 0.1].map((p, i) => [`i${i + 1}`, [p, 0.5]]));
    const report = buildAgreementReport({
      dataset: 'ml',
      readings,
      rule: { kind: 'majority' },
      findingPredictions: { modelVersion: 'v2', findings: ['F1', 'F2'], thresholds: [0.5, null], probabilities },
      options: { iterations: 50 },
    });
    const versus = report.modelVsReaders!;
    const [f1, f2] = versus.curves!;
    assert.equal(f1.auc, 0.75);
    assert.deepEqual([f2.class, f2.auc], ['F2', null], 'no consensus on F2: no curve');
    // At 0.5 the model calls i1 and i3: half the positives, half the negatives.
    assert.deepEqual(versus.model.map((p) => [p.class, p.sensitivity, p.specificity]), [['F1', 0.5, 0.5], ['F2', null, null]]);
    const r3 = versus.readers.find((r) => r.reader === 'R3')!;
    assert.deepEqual([r3.n, r3.perClass[0].sensitivity, r3.perClass[0].specificity], [4, 1, 0.5]);
    // R1 calls P P N N, the model P N P N: p_o = 1/2 = p_e, kappa 0.
    const r1 = versus.readers.find((r) => r.reader === 'R1')!;
    assert.equal(r1.modelKappa.n, 4);
    close(r1.modelKappa.kappa.estimate, 0);
    const html = renderAgreementHtml(report);
    assert.match(html, /per finding, positive against not/);
    assert.equal(html.match(/<svg [^>]*id="roc-readers-/g)?.length, 1, 'one picture: F1');
    assert.ok(!report.warnings.some((w) => /findings model/.test(w)));
  });

  it('multi-label: per finding positive against not, pooled overall, consensus per finding', () => {
    const readings: DatasetReadings = {
      kind: 'multi-label',
      findings: ['F1', 'F2'],
      readings: [
        { item: 'i1', reader: 'R1', value: { F1: 'positive', F2: 'negative' } },
        { item: 'i2', reader: 'R1', value: { F1: 'positive', F2: 'positive' } },
        { item: 'i3', reader: 'R1', value: { F1: 'negative', F2: 'negative' } },
        { item: 'i1', reader: 'R2', value: { F1: 'positive', F2: 'positive' } },
        { item: 'i2', reader: 'R2', value: { F1: 'negative', F2: 'positive' } },
        { item: 'i3', reader: 'R2', value: { F1: 'unmentioned', F2: 'uncertain' } },
      ],
    };
    const report = buildAgreementReport({ dataset: 'ml', readings, rule: { kind: 'majority' }, options: { iterations: 200 } });
    // F1: R1 1 1 0, R2 1 0 0: p_o = 2/3, p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9, kappa = (2/9) / (5/9) = 0.4.
    // F2: R1 0 1 0, R2 1 1 0 (uncertain is not positive): the same, 0.4.
    assert.deepEqual(report.perClass.map((f) => [f.name, Number(f.pairs[0].kappa.estimate!.toFixed(12))]), [['F1', 0.4], ['F2', 0.4]]);
    // Pooled 6 units: R1 1 1 0 0 1 0, R2 1 0 0 1 1 0: p_o = 4/6, p_e = 1/2, kappa = (2/3 - 1/2) / (1/2) = 1/3.
    close(report.pairs[0].kappa.estimate, 1 / 3);
    assert.equal(report.items, 3);
    assert.deepEqual(report.prevalence[0], { reader: 'R1', n: 3, counts: { F1: 2, F2: 1 }, shares: { F1: 2 / 3, F2: 1 / 3 } });
    assert.deepEqual(report.confusion.map((c) => [c.finding, c.counts]), [['F1', [[1, 0], [1, 1]]], ['F2', [[1, 1], [0, 1]]]]);
    // Consensus on the states: i1 F1 (positive twice) and i2 F2 (positive twice) settle; the other four are 1-1 ties
    // (i3 F1 negative / unmentioned and i3 F2 negative / uncertain too: the states differ).
    assert.equal(report.consensus.settled, 2);
    assert.deepEqual(report.consensus.unsettled.map((u) => `${u.item} ${u.finding}`), ['i2 F1', 'i3 F1', 'i1 F2', 'i3 F2']);
  });

  it('degenerate inputs give null with a reason, never NaN', () => {
    // One class only: every statistic undefined.
    const one = buildAgreement({ kind: 'single-label', classes: ['a'], units: unitsFromGrid([['a', 'a'], ['a', 'a']]) }, { iterations: 50 });
    for (const e of [one.pairs[0].kappa, one.fleiss, one.alpha]) assert.deepEqual([e.estimate, e.reason], [null, ONE_CATEGORY]);
    // A class nobody used: its one-against-the-rest figures are undefined, the others are not.
    const unused = buildAgreement({ kind: 'single-label', classes: ['a', 'b', 'z'], units: unitsFromGrid([['a', 'b', 'a'], ['a', 'b', 'b']]) }, { iterations: 50 });
    assert.equal(unused.perClass.find((c) => c.name === 'z')!.fleiss.reason, ONE_CATEGORY);
    assert.notEqual(unused.perClass.find((c) => c.name === 'a')!.fleiss.estimate, null);
    // One reader: no pair, Fleiss and alpha without a unit of two readings, and a warning.
    const lone = buildAgreementReport({ dataset: 'x', readings: { kind: 'single-label', classes: ['a', 'b'], readings: [{ item: 'i', reader: 'R', value: 'a' }] }, rule: { kind: 'majority' } });
    assert.deepEqual([lone.pairs, lone.fleiss.estimate, lone.warnings], [[], null, ['1 reader(s): agreement needs at least two']]);
    for (const result of [one, unused, lone]) assertNoNaN(result);
  });

  it('renders Markdown and HTML with the same figures', () => {
    const report = buildAgreementReport({ dataset: '/data/plan', readings: planReadings(), rule: { kind: 'majority' }, options: { iterations: 100 } });
    const md = renderAgreementMarkdown(report);
    assert.match(md, /^# Reader agreement/);
    assert.match(md, /\| A – B \| 12 \| 0\.63 \(/);
    assert.match(md, /\| Fleiss' kappa \| 0\.62 \(/);
    assert.match(md, /\| img12 \| tie: COVID 1, PNEUMONIA 1 \| A: PNEUMONIA, B: COVID \|/);
    const html = renderAgreementHtml(report, { nonce: 'n0' });
    assert.match(html, /<style nonce="n0">/);
    assert.match(html, /<th scope="row">A – C<\/th><td>11<\/td><td>0\.86<span class="ci">/);
    assert.ok(!html.includes('<script'));
  });
});
