import * as assert from 'node:assert/strict';
import { evaluate, predictedClasses } from '../../../src/ml/metrics';
import { buildReport, NO_SOURCE, positiveClassOf, REPORT_VERSION } from '../../../src/ml/report';
import type { Report } from '../../../src/ml/report';
import { THREE_CLASSES, threeClassItems, TWO_CLASSES, twoClassItems } from './reportFixtures';

const CREATED_AT = '2026-11-26T10:00:00.000Z';

function twoClassReport(options: { worse?: boolean; previous?: Report; bootstrap?: boolean } = {}): Report {
  return buildReport(
    { classes: TWO_CLASSES, items: twoClassItems(options), model: { version: options.worse ? 'v2' : 'v1', parent: options.worse ? 'v1' : null }, previous: options.previous },
    { createdAt: CREATED_AT, bootstrap: options.bootstrap === false ? false : { iterations: 200 } },
  );
}

describe('report: buildReport', () => {
  it('holds the hand-computed metrics of a two-class problem, with intervals around them', () => {
    const report = twoClassReport();
    const e = report.evaluation;
    assert.equal(report.version, REPORT_VERSION);
    assert.deepEqual(report.counts, [5, 5]);
    assert.deepEqual(e.confusion, [[4, 1], [1, 4]]);
    assert.ok(Math.abs(e.accuracy.estimate! - 0.8) < 1e-12);
    assert.ok(Math.abs(e.mcc.estimate! - 0.6) < 1e-12);
    assert.ok(Math.abs(e.kappa.estimate! - 0.6) < 1e-12);
    const covid = e.perClass[1];
    assert.equal(covid.class, 'COVID');
    assert.ok(Math.abs(covid.auc.estimate! - 24 / 25) < 1e-12);
    assert.ok(Math.abs(covid.sensitivity.estimate! - 0.8) < 1e-12);
    for (const m of [e.accuracy, e.balancedAccuracy, covid.sensitivity, covid.specificity]) {
      assert.ok(m.low! <= m.estimate! && m.estimate! <= m.high!, `interval ${m.low}..${m.high} around ${m.estimate}`);
      assert.ok(m.low! < m.high!, 'ten items give a non-degenerate interval');
    }
    assert.equal(e.bootstrap?.iterations, 200);
    assert.ok(covid.curves !== undefined, 'the overall evaluation carries ROC and PR curves');
  });

  it('reads the threshold table for the first non-NORMAL class at the default targets', () => {
    const report = twoClassReport();
    assert.equal(report.thresholds.positiveClass, 'COVID');
    assert.deepEqual(report.thresholds.classes, ['COVID']);
    assert.deepEqual(report.thresholds.targets, [{ sensitivity: 0.95 }, { sensitivity: 0.9 }, { specificity: 0.95 }, { specificity: 0.9 }]);
    const points = report.evaluation.perClass[1].operatingPoints;
    // Sensitivity >= 0.95 of 5 positives needs all 5: the highest such threshold is 0.4, where NORMAL 0.55 is a false positive.
    assert.deepEqual(
      points.map((p) => p && { threshold: p.threshold, tp: p.tp, fp: p.fp, tn: p.tn, fn: p.fn }),
      [
        { threshold: 0.4, tp: 5, fp: 1, tn: 4, fn: 0 },
        { threshold: 0.4, tp: 5, fp: 1, tn: 4, fn: 0 },
        { threshold: 0.6, tp: 4, fp: 0, tn: 5, fn: 1 },
        { threshold: 0.6, tp: 4, fp: 0, tn: 5, fn: 1 },
      ],
    );
  });

  it('chooses the positive class as documented, or as asked', () => {
    assert.equal(positiveClassOf(['NORMAL', 'COVID']), 'COVID');
    assert.equal(positiveClassOf(['normal', 'PNEUMONIA']), 'PNEUMONIA');
    assert.equal(positiveClassOf(['A', 'B']), 'A');
    assert.equal(positiveClassOf(THREE_CLASSES), null);
    assert.equal(positiveClassOf(['NORMAL', 'COVID'], 'NORMAL'), 'NORMAL');
    assert.throws(() => positiveClassOf(['NORMAL', 'COVID'], 'FLU'), /FLU is not one of/);
    const report = buildReport({ classes: THREE_CLASSES, items: threeClassItems(60), model: { version: 'v1' } }, { bootstrap: { iterations: 20 } });
    assert.deepEqual(report.thresholds.classes, THREE_CLASSES, 'more than two classes: every class against the rest');
  });

  it('is plain JSON and the same for the same input', () => {
    const report = twoClassReport();
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    assert.deepEqual(twoClassReport(), report);
  });

  it('breaks the metrics down by source, largest first, and skips small sources saying why', () => {
    const items = threeClassItems();
    const report = buildReport({ classes: THREE_CLASSES, items, model: { version: 'v1' } }, { createdAt: CREATED_AT, bootstrap: { iterations: 100 } });
    const sources = report.sources!;
    assert.deepEqual(sources.map((s) => s.source), ['kermany', 'ieee8023', 'nih14', 'cxnet', 'tiny']);
    assert.equal(sources.map((s) => s.n).reduce((a, b) => a + b, 0), items.length);
    assert.deepEqual(sources.filter((s) => s.evaluation === null).map((s) => s.source), ['cxnet', 'tiny']);
    assert.match(sources[4].skipped!, /^only 8 items \(fewer than 20\): not evaluated$/);
    for (const s of sources.slice(0, 3)) {
      const subset = items.filter((item) => item.source === s.source);
      const yTrue = subset.map((item) => THREE_CLASSES.indexOf(item.label));
      const correct = predictedClasses(subset.map((item) => item.probs)).filter((p, i) => p === yTrue[i]).length;
      assert.equal(s.skipped, null);
      assert.equal(s.evaluation!.accuracy.estimate, correct / subset.length, s.source);
      assert.deepEqual(s.counts, THREE_CLASSES.map((_, c) => yTrue.filter((y) => y === c).length));
      assert.equal(s.evaluation!.bootstrap?.unit, 'group', 'patients are resampled within a source too');
      assert.equal(s.evaluation!.perClass[0].curves, undefined, 'no curves per source');
    }
    // The overall evaluation is evaluate() with the patients as groups.
    const direct = evaluate(items.map((i) => i.probs), items.map((i) => THREE_CLASSES.indexOf(i.label)), THREE_CLASSES, {
      groups: items.map((i) => i.group),
      bootstrap: { iterations: 100 },
    });
    assert.deepEqual(report.evaluation.balancedAccuracy, direct.balancedAccuracy);
  });

  it('has no source breakdown without sources, and groups source-less items when others have one', () => {
    assert.equal(twoClassReport({ bootstrap: false }).sources, null);
    const items = twoClassItems().map((item, i) => ({ ...item, source: i < 2 ? null : 'siteA' }));
    const report = buildReport({ classes: TWO_CLASSES, items, model: { version: 'v1' } }, { minSourceItems: 2, bootstrap: { iterations: 20 } });
    assert.deepEqual(report.sources!.map((s) => [s.source, s.n]), [['siteA', 8], [NO_SOURCE, 2]]);
  });

  it('rejects labels outside the classes and an empty item list', () => {
    const items = [...twoClassItems(), { id: 'x.png', label: 'FLU', probs: [0.5, 0.5] }];
    assert.throws(() => buildReport({ classes: TWO_CLASSES, items, model: { version: 'v1' } }), /x\.png has label FLU/);
    assert.throws(() => buildReport({ classes: TWO_CLASSES, items: [], model: { version: 'v1' } }), /no items/);
  });
});

describe('report: change against the previous model', () => {
  it('gives the deltas and names what got worse', () => {
    const previous = twoClassReport();
    const current = twoClassReport({ worse: true, previous });
    const comparison = current.comparison!;
    assert.equal(comparison.previousModel.version, 'v1');
    assert.equal(comparison.sameItems, true);
    assert.deepEqual(comparison.notes, []);
    const accuracy = comparison.headline.find((c) => c.metric === 'accuracy')!;
    assert.ok(Math.abs(accuracy.delta! - -0.1) < 1e-12);
    assert.equal(accuracy.worse, true);
    const specificity = comparison.perClass.find((c) => c.metric === 'specificity' && c.class === 'COVID')!;
    assert.equal(specificity.delta, 0);
    assert.equal(specificity.worse, false, 'an unchanged metric is not worse');
    const auc = comparison.perClass.find((c) => c.metric === 'auc' && c.class === 'COVID')!;
    assert.ok(Math.abs(auc.delta! - -1 / 25) < 1e-12);
    assert.ok(comparison.worse.includes('Accuracy 0.800 → 0.700 (−0.100)'), comparison.worse.join('\n'));
    assert.ok(comparison.worse.some((w) => w.startsWith('Sensitivity of COVID 0.800 → 0.600 (−0.200)')), comparison.worse.join('\n'));
    assert.ok(!comparison.worse.some((w) => w.startsWith('Specificity of COVID')), 'specificity did not change');
    // The reverse comparison finds nothing worse.
    assert.deepEqual(buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version: 'v3' }, previous: current }, { bootstrap: false }).comparison!.worse, []);
  });

  it('says when the items differ or the previous report is not of the parent', () => {
    const previous = twoClassReport();
    const items = twoClassItems().slice(1);
    const report = buildReport({ classes: TWO_CLASSES, items, model: { version: 'v5', parent: 'v4' }, previous }, { bootstrap: false });
    const notes = report.comparison!.notes.join('\n');
    assert.equal(report.comparison!.sameItems, false);
    assert.match(notes, /different items or labels \(n = 10 before, 9 now\)/);
    assert.match(notes, /previous report is of model v1, not of the parent model v4/);
  });
});
