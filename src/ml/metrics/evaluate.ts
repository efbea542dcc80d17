/**
 * The full evaluation of class probabilities against true labels, as one JSON-serialisable object with
 * bootstrap confidence intervals: what reports, the gallery and the command-line tool show.
 *
 * JSON has no NaN or Infinity, so undefined metrics are `null` here (the functions it builds on use NaN), and
 * `warnings` says in words why each one is undefined.
 */
import { checkClassIndices, checkSameLength, meanOfDefined } from './inputs';
import { fillConfusion, metricsFromConfusion } from './confusion';
import { prCurve, rankScores, rocCurve, summarizeRanking } from './curves';
import { checkProbabilityRows } from './oneVsRest';
import { operatingPoints, type OperatingPoint, type OperatingPointTarget } from './operatingPoints';
import {
  bootstrapCIs,
  DEFAULT_BOOTSTRAP_ALPHA,
  DEFAULT_BOOTSTRAP_ITERATIONS,
  DEFAULT_BOOTSTRAP_SEED,
  type BootstrapOptions,
  type ConfidenceInterval,
} from './bootstrap';
import { groupMembers, type GroupId } from '../splits';

export interface EvaluateOptions {
  /** Patient of each item: the bootstrap then resamples whole patients. */
  groups?: readonly GroupId[];
  /** Bootstrap settings (defaults: 1000 iterations, seed 0, alpha 0.05), or false for point estimates only. */
  bootstrap?: Omit<BootstrapOptions, 'groups'> | false;
  /** One-vs-rest operating points to report for every class, e.g. `[{ sensitivity: 0.95 }]`. Default none. */
  operatingPoints?: readonly OperatingPointTarget[];
  /** Include each class's ROC and PR curve points. Default false (they are large). */
  curves?: boolean;
}

/** A metric and its confidence interval; null where undefined, low/high null without bootstrap. */
export interface MetricEstimate {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/** {@link OperatingPoint} for JSON: threshold null = +Infinity (nothing called positive), rates null = undefined. */
export interface JsonOperatingPoint {
  target: OperatingPointTarget;
  threshold: number | null;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sensitivity: number | null;
  specificity: number | null;
  precision: number | null;
  npv: number | null;
}

export interface ClassEvaluation {
  class: string;
  /** Items of this class. */
  support: number;
  /** Items predicted as this class (highest probability). */
  predicted: number;
  sensitivity: MetricEstimate;
  specificity: MetricEstimate;
  precision: MetricEstimate;
  npv: MetricEstimate;
  f1: MetricEstimate;
  /** One-vs-rest ROC AUC of this class's probability. */
  auc: MetricEstimate;
  averagePrecision: MetricEstimate;
  /** One per requested target, in order; null when the target is undefined (no positives / negatives). */
  operatingPoints: (JsonOperatingPoint | null)[];
  /** Present when asked for; the first ROC threshold is null (+Infinity: the (0, 0) point). */
  curves?: {
    roc: { fpr: (number | null)[]; tpr: (number | null)[]; thresholds: (number | null)[] };
    pr: { precision: (number | null)[]; recall: (number | null)[]; thresholds: number[] };
  };
}

export interface Evaluation {
  classes: string[];
  n: number;
  /** Rows = true class, columns = predicted class (highest probability, first class on ties). */
  confusion: number[][];
  accuracy: MetricEstimate;
  balancedAccuracy: MetricEstimate;
  macroF1: MetricEstimate;
  /** Multiclass MCC (Gorodkin). */
  mcc: MetricEstimate;
  kappa: MetricEstimate;
  /** Mean one-vs-rest ROC AUC over classes where it is defined. */
  macroAuc: MetricEstimate;
  macroAveragePrecision: MetricEstimate;
  perClass: ClassEvaluation[];
  /** How the intervals were made; null without bootstrap. `units`: groups (or items) resampled. */
  bootstrap: { iterations: number; seed: number; alpha: number; unit: 'group' | 'item'; units: number } | null;
  /** Why metrics are null or intervals rest on fewer resamples, in words. */
  warnings: string[];
}

const HEADLINE = ['accuracy', 'balancedAccuracy', 'macroF1', 'mcc', 'kappa', 'macroAuc', 'macroAveragePrecision'] as const;
const PER_CLASS = ['sensitivity', 'specificity', 'precision', 'npv', 'f1', 'auc', 'averagePrecision'] as const;

/** Predicted class of each row: the highest probability, the lowest class index on ties. */
export function predictedClasses(probs: readonly (readonly number[])[]): number[] {
  return probs.map((row) => row.reduce((best, p, k) => (p > row[best] ? k : best), 0));
}

/** Evaluates probabilities (row i = item i, column k = class k) against true class indices. */
export function evaluate(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  classes: readonly string[],
  options: EvaluateOptions = {},
): Evaluation {
  const k = classes.length;
  checkProbabilityRows(probs, k);
  checkSameLength('yTrue', yTrue.length, probs.length);
  checkClassIndices('yTrue', yTrue, k);
  if (probs.length === 0) throw new RangeError('nothing to evaluate: no items');
  if (options.groups !== undefined) checkSameLength('groups', options.groups.length, probs.length);

  const yPred = predictedClasses(probs);
  const scores = classes.map((_, c) => probs.map((row) => row[c]));
  const positives = classes.map((_, c) => yTrue.map((y) => y === c));
  const ranked = scores.map(rankScores);

  // Every metric of the report from one resample's weights: headline first, then class by class.
  const statistic = (weights: Uint32Array): number[] => {
    const metrics = metricsFromConfusion(fillConfusion(yTrue, yPred, k, weights), classes);
    const rankings = ranked.map((r, c) => summarizeRanking(r, positives[c], weights));
    const aucs = rankings.map((r) => r.auc);
    const aps = rankings.map((r) => r.averagePrecision);
    const values: number[] = [
      metrics.accuracy,
      metrics.balancedAccuracy,
      metrics.macroF1,
      metrics.mcc,
      metrics.kappa,
      meanOfDefined(aucs),
      meanOfDefined(aps),
    ];
    metrics.perClass.forEach((m, c) => values.push(m.sensitivity, m.specificity, m.precision, m.npv, m.f1, aucs[c], aps[c]));
    return values;
  };

  const bootstrap = options.bootstrap === false ? null : {
    iterations: options.bootstrap?.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS,
    seed: options.bootstrap?.seed ?? DEFAULT_BOOTSTRAP_SEED,
    alpha: options.bootstrap?.alpha ?? DEFAULT_BOOTSTRAP_ALPHA,
  };
  const intervals: ConfidenceInterval[] = bootstrap === null
    ? statistic(new Uint32Array(probs.length).fill(1)).map((estimate) => ({ estimate, low: NaN, high: NaN, replicates: 0 }))
    : bootstrapCIs(statistic, probs.length, { ...bootstrap, groups: options.groups });
  const asEstimate = (ci: ConfidenceInterval): MetricEstimate => ({
    estimate: jsonNumber(ci.estimate),
    low: jsonNumber(ci.low),
    high: jsonNumber(ci.high),
  });

  const confusion = fillConfusion(yTrue, yPred, k);
  const warnings: string[] = [];
  const describe = (name: string, ci: ConfidenceInterval): void => {
    if (bootstrap !== null && !Number.isNaN(ci.estimate) && ci.replicates < bootstrap.iterations) {
      warnings.push(`${name} is undefined in ${bootstrap.iterations - ci.replicates} of ${bootstrap.iterations} resamples; its interval uses the others`);
    }
  };

  const headline = Object.fromEntries(HEADLINE.map((name, j) => {
    describe(name, intervals[j]);
    return [name, asEstimate(intervals[j])];
  })) as Record<(typeof HEADLINE)[number], MetricEstimate>;

  const perClass = classes.map((name, c): ClassEvaluation => {
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[c], 0);
    if (support === 0) warnings.push(`class ${name} has no items: its sensitivity, AUC and average precision are null`);
    if (support === probs.length) warnings.push(`every item is class ${name}: its specificity and every class's AUC are null`);
    if (predicted === 0) warnings.push(`class ${name} is never predicted: its precision is null`);
    const metrics = Object.fromEntries(PER_CLASS.map((metric, m) => {
      const ci = intervals[HEADLINE.length + c * PER_CLASS.length + m];
      describe(`${metric} of ${name}`, ci);
      return [metric, asEstimate(ci)];
    })) as Record<(typeof PER_CLASS)[number], MetricEstimate>;
    const evaluation: ClassEvaluation = {
      class: name,
      support,
      predicted,
      ...metrics,
      operatingPoints: operatingPoints(scores[c], positives[c], options.operatingPoints ?? []).map(jsonOperatingPoint),
    };
    if (options.curves === true) {
      const roc = rocCurve(scores[c], positives[c]);
      const pr = prCurve(scores[c], positives[c]);
      evaluation.curves = {
        roc: { fpr: roc.fpr.map(jsonNumber), tpr: roc.tpr.map(jsonNumber), thresholds: roc.thresholds.map(jsonNumber) },
        pr: { precision: pr.precision.map(jsonNumber), recall: pr.recall.map(jsonNumber), thresholds: pr.thresholds },
      };
    }
    return evaluation;
  });

  return {
    classes: classes.slice(),
    n: probs.length,
    confusion,
    ...headline,
    perClass,
    bootstrap: bootstrap === null ? null : {
      ...bootstrap,
      unit: options.groups === undefined ? 'item' : 'group',
      units: options.groups === undefined ? probs.length : groupMembers(options.groups).length,
    },
    warnings,
  };
}

/** Finite numbers as they are; NaN (undefined) and ±Infinity as null, which JSON can hold. */
function jsonNumber(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function jsonOperatingPoint(point: OperatingPoint | null): JsonOperatingPoint | null {
  if (point === null) return null;
  return {
    ...point,
    threshold: jsonNumber(point.threshold),
    sensitivity: jsonNumber(point.sensitivity),
    specificity: jsonNumber(point.specificity),
    precision: jsonNumber(point.precision),
    npv: jsonNumber(point.npv),
  };
}
