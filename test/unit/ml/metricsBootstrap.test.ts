import * as assert from 'node:assert/strict';
import { bootstrapCI, bootstrapCIs, classificationMetrics, evaluate, oneVsRest, quantile } from '../../../src/ml/metrics';
import { seededRandom } from '../../../src/ml/splits';

const CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'];

/** n items of 3 classes with noisy probabilities favouring the true class, and patients of 1-3 images. */
function syntheticPredictions(n: number, seed: number): { probs: number[][]; yTrue: number[]; groups: string[] } {
  const random = seededRandom(seed);
  const probs: number[][] = [];
  const yTrue: number[] = [];
  const groups: string[] = [];
  let patient = 0;
  while (yTrue.length < n) {
    const label = Math.floor(random() * 3);
    const images = 1 + Math.floor(random() * 3);
    for (let j = 0; j < images && yTrue.length < n; j++) {
      const raw = [0, 1, 2].map((c) => random() + (c === label ? 0.6 : 0));
      const sum = raw[0] + raw[1] + raw[2];
      probs.push(raw.map((v) => v / sum));
      yTrue.push(label);
      groups.push(`p${patient}`);
    }
    patient++;
  }
  return { probs, yTrue, groups };
}

/** Mean of values weighted by the resample multiplicities. */
function weightedMean(values: readonly number[]): (weights: Uint32Array) => number {
  return (weights) => {
    let sum = 0;
    let count = 0;
    values.forEach((v, i) => {
      sum += weights[i] * v;
      count += weights[i];
    });
    return sum / count;
  };
}

describe('bootstrap confidence intervals', () => {
  it('interpolates quantiles like numpy.percentile', () => {
    // numpy.percentile([1, 2, 3, 4], [25, 50, 97.5]) == [1.75, 2.5, 3.925]
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.ok(Math.abs(quantile([1, 2, 3, 4], 0.975) - 3.925) < 1e-12);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });

  it('is reproducible with a seed and changes with it', () => {
    const values = Array.from({ length: 200 }, (_, i) => (i * 7919) % 101);
    const a = bootstrapCI(weightedMean(values), values.length, { seed: 7, iterations: 300 });
    const b = bootstrapCI(weightedMean(values), values.length, { seed: 7, iterations: 300 });
    const c = bootstrapCI(weightedMean(values), values.length, { seed: 8, iterations: 300 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(a.estimate, values.reduce((x, y) => x + y, 0) / values.length);
    assert.equal(a.replicates, 300);
  });

  it('matches the normal approximation for a proportion', () => {
    // 400 items, half ones: standard error sqrt(0.25 / 400) = 0.025, so the 95% interval is about 0.5 +- 0.049.
    const values = Array.from({ length: 400 }, (_, i) => i % 2);
    const ci = bootstrapCI(weightedMean(values), values.length, { seed: 1, iterations: 4000 });
    assert.equal(ci.estimate, 0.5);
    assert.ok(Math.abs(ci.low - 0.451) < 0.008, `low ${ci.low}`);
    assert.ok(Math.abs(ci.high - 0.549) < 0.008, `high ${ci.high}`);
    const ci80 = bootstrapCI(weightedMean(values), values.length, { seed: 1, iterations: 4000, alpha: 0.2 });
    assert.ok(ci80.low > ci.low && ci80.high < ci.high, 'an 80% interval is narrower than a 95% one');
  });

  it('draws whole patients when groups are given', () => {
    // 30 patients of 1 to 4 images. In every resample all images of a patient have the same multiplicity and
    // the number of patients drawn is the number of patients.
    const groups: (string | null)[] = [];
    for (let p = 0; p < 30; p++) for (let j = 0; j <= p % 4; j++) groups.push(`patient${p}`);
    groups.push(null, null);
    const patients = new Map<string, number[]>();
    groups.forEach((g, i) => patients.set(g ?? `alone${i}`, [...(patients.get(g ?? `alone${i}`) ?? []), i]));
    const keepsPatientsTogether = (weights: Uint32Array): boolean =>
      [...patients.values()].every((items) => items.every((i) => weights[i] === weights[items[0]]));

    let split = 0;
    let drawnPatients = 0;
    bootstrapCI((weights) => {
      if (!keepsPatientsTogether(weights)) split++;
      drawnPatients = [...patients.values()].reduce((sum, items) => sum + weights[items[0]], 0);
      assert.equal(drawnPatients, patients.size);
      return 0;
    }, groups.length, { groups, iterations: 200 });
    assert.equal(split, 0);

    // The same check fails when items are drawn independently, so it does detect split patients.
    let splitWithoutGroups = 0;
    bootstrapCI((weights) => (keepsPatientsTogether(weights) ? 0 : splitWithoutGroups++), groups.length, { iterations: 200 });
    assert.ok(splitWithoutGroups > 150);
  });

  it('gives wider intervals when patients are correlated and resampled as units', () => {
    // Every patient has 5 identical values: the effective sample is 40 patients, not 200 images.
    const values = Array.from({ length: 200 }, (_, i) => Math.floor(i / 5) % 2);
    const groups = values.map((_, i) => `p${Math.floor(i / 5)}`);
    const byItem = bootstrapCI(weightedMean(values), values.length, { iterations: 1000 });
    const byPatient = bootstrapCI(weightedMean(values), values.length, { iterations: 1000, groups });
    assert.ok(byPatient.high - byPatient.low > 1.8 * (byItem.high - byItem.low));
  });

  it('counts resamples where a statistic is undefined and uses the rest', () => {
    // Item 0 alone is positive; the "sensitivity" is undefined whenever item 0 is not drawn (about 37%).
    const [defined, sometimes] = bootstrapCIs((weights) => [1, weights[0] > 0 ? 1 : NaN], 10, { iterations: 500 });
    assert.equal(defined.replicates, 500);
    assert.ok(sometimes.replicates > 250 && sometimes.replicates < 400, `${sometimes.replicates}`);
    assert.equal(sometimes.low, 1);
  });

  it('rejects bad options with a message', () => {
    const stat = (): number => 0;
    assert.throws(() => bootstrapCI(stat, 0), /n >= 1/);
    assert.throws(() => bootstrapCI(stat, 3, { iterations: 0 }), /iterations must be an integer >= 1/);
    assert.throws(() => bootstrapCI(stat, 3, { alpha: 1 }), /alpha must be in \(0, 1\)/);
    assert.throws(() => bootstrapCI(stat, 3, { groups: ['a'] }), /groups has 1 entries, expected 3/);
    assert.throws(() => bootstrapCI(stat, 3, { seed: 0.5 }), /seed must be a safe integer/);
    let calls = 0;
    assert.throws(() => bootstrapCIs(() => (calls++ === 0 ? [1, 2] : [1]), 3), /returned 1 values, expected 2/);
  });
});

describe('evaluate', () => {
  const data = syntheticPredictions(1500, 3);

  it('reports the same point estimates as the metric functions', () => {
    const report = evaluate(data.probs, data.yTrue, CLASSES, { bootstrap: false });
    const yPred = data.probs.map((row) => row.indexOf(Math.max(...row)));
    const metrics = classificationMetrics(data.yTrue, yPred, CLASSES);
    const curves = oneVsRest(data.probs, data.yTrue, CLASSES);
    assert.deepEqual(report.confusion, metrics.confusion);
    assert.equal(report.accuracy.estimate, metrics.accuracy);
    assert.equal(report.balancedAccuracy.estimate, metrics.balancedAccuracy);
    assert.equal(report.macroF1.estimate, metrics.macroF1);
    assert.equal(report.mcc.estimate, metrics.mcc);
    assert.equal(report.kappa.estimate, metrics.kappa);
    assert.ok(Math.abs((report.macroAuc.estimate ?? NaN) - curves.macroAuc) < 1e-12);
    assert.ok(Math.abs((report.macroAveragePrecision.estimate ?? NaN) - curves.macroAveragePrecision) < 1e-12);
    report.perClass.forEach((c, k) => {
      assert.equal(c.sensitivity.estimate, metrics.perClass[k].sensitivity);
      assert.equal(c.npv.estimate, metrics.perClass[k].npv);
      assert.ok(Math.abs((c.auc.estimate ?? NaN) - curves.perClass[k].roc.auc) < 1e-12);
      assert.equal(c.support, metrics.perClass[k].support);
      assert.equal(c.sensitivity.low, null);
    });
    assert.equal(report.bootstrap, null);
  });

  // Its time is a bench figure (quality.cxr.bootstrapSeconds), not a test.
  it('bootstraps 1,000 resamples of 1,500 items by patient, reproducibly', () => {
    const report = evaluate(data.probs, data.yTrue, CLASSES, { groups: data.groups, bootstrap: { seed: 5 } });
    assert.deepEqual(report.bootstrap, {
      iterations: 1000,
      seed: 5,
      alpha: 0.05,
      unit: 'group',
      units: new Set(data.groups).size,
    });
    for (const metric of [report.accuracy, report.mcc, report.macroAuc, ...report.perClass.map((c) => c.f1)]) {
      assert.ok(metric.low !== null && metric.high !== null && metric.estimate !== null);
      assert.ok(metric.low <= metric.estimate && metric.estimate <= metric.high, JSON.stringify(metric));
      assert.ok(metric.high - metric.low > 0.005 && metric.high - metric.low < 0.2, JSON.stringify(metric));
    }
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(evaluate(data.probs, data.yTrue, CLASSES, { groups: data.groups, bootstrap: { seed: 5 } }), report);
  });

  it('is plain JSON: undefined metrics are null and explained', () => {
    // No PNEUMONIA items and never predicted: its sensitivity, AUC and precision are undefined.
    const probs = [
      [0.9, 0.1, 0],
      [0.3, 0.6, 0.1],
      [0.6, 0.3, 0.1],
      [0.2, 0.7, 0.1],
    ];
    const report = evaluate(probs, [0, 0, 1, 1], CLASSES, {
      bootstrap: { iterations: 200 },
      operatingPoints: [{ sensitivity: 1 }, { specificity: 1 }],
      curves: true,
    });
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    const pneumonia = report.perClass[2];
    assert.deepEqual(pneumonia.sensitivity, { estimate: null, low: null, high: null });
    assert.equal(pneumonia.auc.estimate, null);
    assert.equal(pneumonia.precision.estimate, null);
    assert.equal(pneumonia.specificity.estimate, 1);
    assert.deepEqual(pneumonia.operatingPoints[0], null);
    assert.equal(pneumonia.curves?.roc.thresholds[0], null);
    assert.ok(report.warnings.includes('class PNEUMONIA has no items: its sensitivity, AUC and average precision are null'));
    assert.ok(report.warnings.includes('class PNEUMONIA is never predicted: its precision is null'));
    assert.ok(report.warnings.some((w) => /^auc of COVID is undefined in \d+ of 200 resamples/.test(w)), report.warnings.join('\n'));

    // COVID: items 0 (0.9) and 1 (0.3) against 0.6 and 0.2: sensitivity 1 needs threshold 0.3.
    assert.deepEqual(report.perClass[0].operatingPoints[0], {
      target: { sensitivity: 1 },
      threshold: 0.3,
      tp: 2,
      fp: 1,
      tn: 1,
      fn: 0,
      sensitivity: 1,
      specificity: 0.5,
      precision: 2 / 3,
      npv: 1,
    });
  });

  it('rejects inconsistent input with a message', () => {
    assert.throws(() => evaluate([], [], CLASSES), /no items/);
    assert.throws(() => evaluate([[1, 0, 0]], [0, 1], CLASSES), /yTrue has 2 entries, expected 1/);
    assert.throws(() => evaluate([[1, 0, 0]], [0], CLASSES, { groups: [] }), /groups has 0 entries, expected 1/);
    assert.throws(() => evaluate([[1, NaN, 0]], [0], CLASSES), /probs\[0\]\[1\] must be a finite number/);
  });
});
