import * as assert from 'node:assert/strict';
import type { Findings } from '../../../../src/dataset/multilabel/types';
import { averagePrecision, rankScores, rocAuc } from '../../../../src/ml/metrics/curves';
import { evaluateFindings, youdenThreshold } from '../../../../src/ml/multilabel/findingMetrics';
import { lcg } from './synthetic';

describe('ml/multilabel per-finding metrics', () => {
  it('scores only positive and negative labels, with Youden thresholds, PPV/NPV/F1, prevalence and co-occurrence', () => {
    const states: Findings[] = [
      { A: 'positive', B: 'positive' },
      { A: 'positive', B: 'negative' },
      { A: 'negative', B: 'uncertain' },
      { A: 'negative', B: 'positive' },
      { A: 'unmentioned', B: 'negative' },
    ];
    const probs = Float32Array.from([0.9, 0.8, 0.7, 0.2, 0.4, 0.99, 0.3, 0.7, 0.1, 0.1]);
    const result = evaluateFindings({ findings: ['A', 'B'], probs, states, config: { unmentioned: 'negative' }, bootstrap: false });
    const [a, b] = result.findings;
    assert.deepEqual([a.support, a.positives, a.prevalence], [5, 2, 0.4]);
    assert.deepEqual([b.support, b.positives, b.prevalence], [4, 2, 0.5], 'the uncertain B label is not scored');
    assert.equal(a.auc.estimate, 1);
    assert.equal(a.threshold, Math.fround(0.7));
    assert.deepEqual([a.sensitivity, a.specificity, a.ppv, a.npv, a.f1, a.thresholdMethod], [1, 1, 1, 1, 1, 'youden']);
    const bScores = [0.8, 0.2, 0.7, 0.1].map(Math.fround);
    const bTruth = [true, false, true, false];
    assert.equal(b.auc.estimate, rocAuc(rankScores(bScores), bTruth));
    assert.equal(b.averagePrecision.estimate, averagePrecision(rankScores(bScores), bTruth));
    assert.equal(result.meanAuc.estimate, (a.auc.estimate! + b.auc.estimate!) / 2);
    assert.deepEqual(result.cooccurrence.counts, [[2, 1], [1, 2]]);

    const fixed = evaluateFindings({ findings: ['A', 'B'], probs, states, thresholds: [0.85, null], thresholdMethod: 'fixed', config: { unmentioned: 'ignore' }, bootstrap: false });
    assert.deepEqual([fixed.findings[0].support, fixed.findings[0].threshold, fixed.findings[0].thresholdMethod, fixed.findings[0].sensitivity], [4, 0.85, 'fixed', 0.5]);
    assert.equal(fixed.findings[1].thresholdMethod, 'youden');
  });

  it('gives patient-bootstrap intervals around the estimate, and null where a finding has no positives', () => {
    const random = lcg(3);
    const n = 300;
    const states: Findings[] = [];
    const probs = new Float32Array(n * 2);
    const groups: string[] = [];
    for (let i = 0; i < n; i++) {
      const present = random() < 0.3;
      states.push({ A: present ? 'positive' : 'negative', Z: 'negative' });
      probs[i * 2] = Math.min(1, Math.max(0, (present ? 0.65 : 0.35) + (random() - 0.5) * 0.6));
      probs[i * 2 + 1] = random();
      groups.push(`p${Math.floor(i / 3)}`);
    }
    const result = evaluateFindings({ findings: ['A', 'Z'], probs, states, groups, config: { unmentioned: 'negative' }, bootstrap: { iterations: 300, seed: 1 } });
    const auc = result.findings[0].auc;
    assert.ok(auc.low! < auc.estimate! && auc.estimate! < auc.high!, JSON.stringify(auc));
    assert.ok(auc.high! - auc.low! < 0.2 && auc.low! > 0.7);
    assert.deepEqual(result.findings[1].auc, { estimate: null, low: null, high: null });
    assert.equal(result.findings[1].threshold, null);
    assert.equal(result.meanAuc.estimate, auc.estimate, 'the mean skips undefined AUCs');
    assert.deepEqual(result.bootstrap, { iterations: 300, seed: 1, unit: 'patient' });
    assert.equal(youdenThreshold([0.1, 0.2], [false, false]), null);
  });
});
