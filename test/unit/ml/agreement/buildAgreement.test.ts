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
