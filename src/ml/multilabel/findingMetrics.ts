/**
 * Per-finding evaluation of multi-label probabilities, as in the CheXNet and CheXpert papers' tables: ROC AUC and
 * average precision with patient-bootstrap intervals (one resample of patients serves every finding and the mean
 * AUC), and sensitivity, specificity, PPV, NPV and F1 at each finding's threshold. Only positive and negative
 * labels are scored (unmentioned counts as negative when the policy says so); uncertain labels never are.
 */
import type { Findings } from '../../dataset/multilabel/types';
import { bootstrapCIs, DEFAULT_BOOTSTRAP_ITERATIONS, DEFAULT_BOOTSTRAP_SEED } from '../metrics/bootstrap';
import { rankScores, rocCurve, summarizeRanking } from '../metrics/curves';
import type { MetricEstimate } from '../metrics/evaluate';
import { meanOfDefined } from '../metrics/inputs';
import { metricsAtThreshold } from '../metrics/operatingPoints';
import type { GroupId } from '../splits';
import type { MultiLabelTrainConfig } from './config';
import { evaluationTarget } from './targets';

/** How a finding's threshold was chosen: Youden's J on the validation side, or a fixed number. */
export type ThresholdMethod = 'youden' | 'fixed';

export interface FindingEvaluation {
  finding: string;
  /** Items with a scored label (positive or negative) for this finding. */
  support: number;
  positives: number;
  /** positives / support; null without support. */
  prevalence: number | null;
  auc: MetricEstimate;
  averagePrecision: MetricEstimate;
  /** Called positive when the probability is >= this; null when it could not be chosen (no positives or negatives). */
  threshold: number | null;
  thresholdMethod: ThresholdMethod;
  sensitivity: number | null;
  specificity: number | null;
  ppv: number | null;
  npv: number | null;
  f1: number | null;
}

export interface MultiLabelEvaluation {
  /** Items evaluated. */
  n: number;
  /** Mean ROC AUC over the findings where it is defined, with its interval from the same resamples. */
  meanAuc: MetricEstimate;
  findings: FindingEvaluation[];
  /** `counts[i][j]`: items labelled positive for both findings i and j (the diagonal: positives of i). */
  cooccurrence: { findings: string[]; counts: number[][] };
  bootstrap: { iterations: number; seed: number; unit: 'patient' | 'item' } | null;
}

export interface EvaluateFindingsInput {
  findings: readonly string[];
  /** `states.length × findings.length` probabilities, row-major. */
  probs: Float32Array;
  /** Each item's labels (the dataset's finding states). */
  states: readonly Findings[];
  /** Patient of each item; resamples then draw whole patients. */
  groups?: readonly GroupId[];
  /** Thresholds per finding (from validation, say); null entries and a missing list: Youden's J on these data. */
  thresholds?: readonly (number | null)[];
  thresholdMethod?: ThresholdMethod;
  config: Pick<MultiLabelTrainConfig, 'unmentioned'>;
  /** Default 1000 iterations, seed 0; false for point estimates only. */
  bootstrap?: { iterations?: number; seed?: number } | false;
}

function jsonNumber(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** The threshold maximising sensitivity + specificity − 1 (the highest such score on ties); null if undefined. */
export function youdenThreshold(scores: readonly number[], positives: readonly boolean[]): number | null {
  const roc = rocCurve(scores, positives);
  let best = -1;
  let bestJ = -Infinity;
  roc.thresholds.forEach((_, i) => {
    const j = roc.tpr[i] - roc.fpr[i];
    if (j > bestJ + 1e-12) {
      bestJ = j;
      best = i;
    }
  });
  return best < 0 || !Number.isFinite(bestJ) ? null : jsonNumber(roc.thresholds[best]);
}

/** Per-finding metrics, mean AUC and co-occurrence of `probs` against `states`. */
export function evaluateFindings(input: EvaluateFindingsInput): MultiLabelEvaluation {
  const { findings, probs, states } = input;
  const k = findings.length;
  const n = states.length;
  if (probs.length !== n * k) throw new RangeError(`${probs.length} probabilities for ${n} items × ${k} findings`);
  if (n === 0) throw new RangeError('nothing to evaluate: no items');

  // Per finding: the items with a scored label, their scores, and their truth.
  const columns = findings.map((finding, f) => {
    const rows: number[] = [];
    const truth: boolean[] = [];
    states.forEach((s, i) => {
      const target = evaluationTarget(s[finding], input.config);
      if (target === null) return;
      rows.push(i);
      truth.push(target === 1);
    });
    const scores = rows.map((i) => probs[i * k + f]);
    return { rows, truth, scores, ranked: rankScores(scores), weights: new Float64Array(rows.length) };
  });

  const statistic = (weights: Uint32Array): number[] => {
    const values: number[] = [];
    for (const column of columns) {
      column.rows.forEach((i, r) => (column.weights[r] = weights[i]));
      const summary = summarizeRanking(column.ranked, column.truth, column.weights);
      values.push(summary.auc, summary.averagePrecision);
    }
    values.push(meanOfDefined(values.filter((_, j) => j % 2 === 0)));
    return values;
  };
  const bootstrap = input.bootstrap === false ? null : { iterations: input.bootstrap?.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS, seed: input.bootstrap?.seed ?? DEFAULT_BOOTSTRAP_SEED };
  const intervals = bootstrap
    ? bootstrapCIs(statistic, n, { ...bootstrap, groups: input.groups })
    : statistic(new Uint32Array(n).fill(1)).map((estimate) => ({ estimate, low: NaN, high: NaN, replicates: 0 }));
  const estimate = (j: number): MetricEstimate => ({ estimate: jsonNumber(intervals[j].estimate), low: jsonNumber(intervals[j].low), high: jsonNumber(intervals[j].high) });

  const evaluations = findings.map((finding, f): FindingEvaluation => {
    const { truth, scores } = columns[f];
    const positives = truth.filter(Boolean).length;
    const given = input.thresholds?.[f];
    const threshold = given ?? youdenThreshold(scores, truth);
    const atThreshold = threshold === null || scores.length === 0 ? null : metricsAtThreshold(scores, truth, threshold);
    const f1 = atThreshold ? jsonNumber((2 * atThreshold.tp) / (2 * atThreshold.tp + atThreshold.fp + atThreshold.fn)) : null;
    return {
      finding,
      support: truth.length,
      positives,
      prevalence: truth.length ? positives / truth.length : null,
      auc: estimate(2 * f),
      averagePrecision: estimate(2 * f + 1),
      threshold,
      thresholdMethod: given === undefined || given === null ? 'youden' : (input.thresholdMethod ?? 'fixed'),
      sensitivity: atThreshold && jsonNumber(atThreshold.sensitivity),
      specificity: atThreshold && jsonNumber(atThreshold.specificity),
      ppv: atThreshold && jsonNumber(atThreshold.precision),
      npv: atThreshold && jsonNumber(atThreshold.npv),
      f1,
    };
  });
  return {
    n,
    meanAuc: estimate(2 * k),
    findings: evaluations,
    cooccurrence: cooccurrence(findings, states, input.config),
    bootstrap: bootstrap && { ...bootstrap, unit: input.groups ? 'patient' : 'item' },
  };
}

/** Items labelled positive for both findings of each pair. */
export function cooccurrence(findings: readonly string[], states: readonly Findings[], config: Pick<MultiLabelTrainConfig, 'unmentioned'>): { findings: string[]; counts: number[][] } {
  const counts = findings.map(() => new Array<number>(findings.length).fill(0));
  for (const s of states) {
    const present = findings.flatMap((finding, f) => (evaluationTarget(s[finding], config) === 1 ? [f] : []));
    for (const a of present) for (const b of present) counts[a][b]++;
  }
  return { findings: [...findings], counts };
}
