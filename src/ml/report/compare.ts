/** What changed between two reports: deltas of every headline and per-class metric, worse ones named. */
import type { ClassEvaluation, Evaluation, MetricEstimate } from '../metrics';
import { CLASS_METRICS, formatDelta, formatNumber, HEADLINE_METRICS, metricLabel } from './format';
import type { MetricChange, Report, ReportComparison } from './types';

// Below this a difference is rounding, not a change.
const EPSILON = 1e-12;

/** Compares `current` with `previous`, metric by metric (point estimates; the intervals travel along). */
export function compareReports(
  current: Pick<Report, 'model' | 'itemsHash' | 'evaluation'>,
  previous: Report,
): ReportComparison {
  const notes: string[] = [];
  const sameItems = current.itemsHash === previous.itemsHash;
  if (!sameItems) {
    notes.push(
      `computed on different items or labels (n = ${previous.evaluation.n} before, ${current.evaluation.n} now): ` +
        'the changes mix the model and the data',
    );
  }
  const parent = current.model.parent ?? null;
  if (parent !== null && parent !== previous.model.version) {
    notes.push(`the previous report is of model ${previous.model.version}, not of the parent model ${parent}`);
  }

  const headline = HEADLINE_METRICS.map(({ key }) => change(key, null, previous.evaluation[key], current.evaluation[key]));
  const perClass: MetricChange[] = [];
  for (const now of current.evaluation.perClass) {
    const before = findClass(previous.evaluation, now.class);
    if (before === undefined) {
      notes.push(`class ${now.class} is new: nothing to compare`);
      continue;
    }
    for (const { key } of CLASS_METRICS) perClass.push(change(key, now.class, before[key], now[key]));
  }
  for (const gone of previous.evaluation.classes.filter((c) => !current.evaluation.classes.includes(c))) {
    notes.push(`class ${gone} is no longer in the model`);
  }

  const worse = [...headline, ...perClass].filter((c) => c.worse).map(describeWorse);
  return { previousModel: previous.model, previousCreatedAt: previous.createdAt, sameItems, headline, perClass, worse, notes };
}

function change(metric: string, className: string | null, previous: MetricEstimate, current: MetricEstimate): MetricChange {
  const delta = previous.estimate === null || current.estimate === null ? null : current.estimate - previous.estimate;
  return { metric, class: className, previous, current, delta, worse: delta !== null && delta < -EPSILON };
}

function findClass(evaluation: Evaluation, name: string): ClassEvaluation | undefined {
  return evaluation.perClass.find((c) => c.class === name);
}

function describeWorse(c: MetricChange): string {
  const what = c.class === null ? metricLabel(c.metric) : `${metricLabel(c.metric)} of ${c.class}`;
  return `${what} ${formatNumber(c.previous.estimate, 3)} → ${formatNumber(c.current.estimate, 3)} (${formatDelta(c.delta)})`;
}
