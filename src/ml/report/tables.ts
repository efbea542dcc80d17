/**
 * The report's tables as plain text cells, so that Markdown and HTML show the same numbers; each renderer
 * escapes the cells for its own syntax.
 */
import type { Evaluation, MetricEstimate } from '../metrics';
import {
  CLASS_METRICS,
  describeBootstrap,
  formatDelta,
  formatNumber,
  formatTarget,
  formatThreshold,
  HEADLINE_METRICS,
  metricLabel,
  UNDEFINED_TEXT,
} from './format';
import type { MetricChange, Report } from './types';

/** A value with its 95% interval and a detail (e.g. a count); HTML shows them on lines of their own. */
export interface RichCell {
  text: string;
  interval?: string;
  detail?: string;
  /** A change for the worse: shown in the error colour. */
  worse?: boolean;
}

export type Cell = string | RichCell;

export interface TableRow {
  /** The first cell names the row. */
  cells: [string, ...Cell[]];
  /** Replaces the remaining columns, e.g. why a source was not evaluated. */
  note?: string;
}

export interface Table {
  header: string[];
  rows: TableRow[];
}

/** A class absent from a source. */
const NO_ITEMS_TEXT = 'no items';

/** Marks a worse change in the text itself, so it shows without colour too. */
export const WORSE_MARK = '▼';

/** What was evaluated and how: label / value pairs for the report's header. */
export function reportFacts(report: Report): [string, string][] {
  const { model } = report;
  const facts: [string, string][] = [['Model', model.version]];
  if (model.parent) facts.push(['Trained from', model.parent]);
  if (model.trainedAt) facts.push(['Trained', model.trainedAt]);
  if (model.backboneId) facts.push(['Backbone', model.backboneId]);
  facts.push(
    ['Report created', report.createdAt],
    ['Items', `${report.evaluation.n} (${classMix(report, report.counts)})`],
    ['Intervals', describeBootstrap(report.evaluation.bootstrap)],
  );
  return facts;
}

/** The estimate, with its interval when there is one. */
export function estimateCell(m: MetricEstimate, detail?: string): RichCell {
  const cell: RichCell = { text: formatNumber(m.estimate) };
  if (m.estimate !== null && m.low !== null && m.high !== null) cell.interval = `${formatNumber(m.low)}–${formatNumber(m.high)}`;
  if (detail !== undefined) cell.detail = detail;
  return cell;
}

export function headlineTable(evaluation: Evaluation): Table {
  return {
    header: ['Metric', 'Estimate', '95% CI'],
    rows: HEADLINE_METRICS.map(({ key, label }) => {
      const cell = estimateCell(evaluation[key]);
      return { cells: [label, cell.text, cell.interval ?? ''] };
    }),
  };
}

export function classTable(evaluation: Evaluation): Table {
  return {
    header: ['Class', 'Support', 'Predicted', ...CLASS_METRICS.map((m) => m.label)],
    rows: evaluation.perClass.map((c) => ({
      cells: [c.class, String(c.support), String(c.predicted), ...CLASS_METRICS.map(({ key }) => estimateCell(c[key]))],
    })),
  };
}

/** Counts with the row-normalised percentage: `45 (90.0%)`. */
export function confusionTable(evaluation: Evaluation): Table {
  return {
    header: ['True ↓ · predicted →', ...evaluation.classes, 'Total'],
    rows: evaluation.confusion.map((row, r) => {
      const total = row.reduce((a, b) => a + b, 0);
      const cell = (count: number): string => (total === 0 ? String(count) : `${count} (${((count / total) * 100).toFixed(1)}%)`);
      return { cells: [evaluation.classes[r], ...row.map(cell), String(total)] };
    }),
  };
}

export function operatingPointTable(report: Report): Table {
  const rows: TableRow[] = [];
  for (const name of report.thresholds.classes) {
    const evaluation = report.evaluation.perClass.find((c) => c.class === name);
    report.thresholds.targets.forEach((target, t) => {
      const point = evaluation?.operatingPoints[t] ?? null;
      if (point === null) {
        rows.push({ cells: [name, formatTarget(target)], note: 'undefined: this class has no items, or no other items' });
        return;
      }
      rows.push({
        cells: [
          name,
          formatTarget(target),
          formatThreshold(point.threshold),
          formatNumber(point.sensitivity, 3),
          formatNumber(point.specificity, 3),
          formatNumber(point.precision, 3),
          formatNumber(point.npv, 3),
          `${point.tp} / ${point.fp} / ${point.tn} / ${point.fn}`,
        ],
      });
    });
  }
  return {
    header: [report.thresholds.positiveClass === null ? 'Class (vs rest)' : 'Positive class', 'Target', 'Threshold', 'Sensitivity', 'Specificity', 'Precision', 'NPV', 'TP / FP / TN / FN'],
    rows,
  };
}

/** Per source: size, headline metrics and each class's sensitivity with its item count there. */
export function sourceTable(report: Report): Table {
  const rows = (report.sources ?? []).map((s): TableRow => {
    const e = s.evaluation;
    if (e === null) return { cells: [s.source, String(s.n)], note: `${classMix(report, s.counts)}: ${s.skipped ?? 'not evaluated'}` };
    return {
      cells: [
        s.source,
        String(s.n),
        estimateCell(e.accuracy),
        estimateCell(e.balancedAccuracy),
        ...e.perClass.map((c) => (c.support === 0 ? NO_ITEMS_TEXT : estimateCell(c.sensitivity, `n = ${c.support}`))),
      ],
    };
  });
  return {
    header: ['Source', 'Items', 'Accuracy', 'Balanced accuracy', ...report.classes.map((c) => `Sensitivity ${c}`)],
    rows,
  };
}

/** Previous and current headline metrics with their intervals, and the change. */
export function headlineChangeTable(changes: readonly MetricChange[]): Table {
  return {
    header: ['Metric', 'Previous', 'Current', 'Change'],
    rows: changes.map((c) => ({
      cells: [metricLabel(c.metric), estimateCell(c.previous), estimateCell(c.current), deltaCell(c)],
    })),
  };
}

/** Changes of the per-class metrics: one row per class, one column per metric. */
export function classChangeTable(report: Report, changes: readonly MetricChange[]): Table {
  const classes = report.classes.filter((name) => changes.some((c) => c.class === name));
  return {
    header: ['Class', ...CLASS_METRICS.map((m) => m.label)],
    rows: classes.map((name) => ({
      cells: [
        name,
        ...CLASS_METRICS.map(({ key }) => {
          const change = changes.find((c) => c.class === name && c.metric === key);
          return change === undefined ? UNDEFINED_TEXT : deltaCell(change);
        }),
      ],
    })),
  };
}

function deltaCell(change: MetricChange): RichCell {
  return change.worse ? { text: `${formatDelta(change.delta)} ${WORSE_MARK}`, worse: true } : { text: formatDelta(change.delta) };
}

/** `COVID 60, NORMAL 60`. */
function classMix(report: Report, counts: readonly number[]): string {
  return report.classes.map((c, i) => `${c} ${counts[i]}`).join(', ');
}

export const THRESHOLD_NOTE =
  'An item is called positive when its probability for the class is at least the threshold. The thresholds are ' +
  'chosen on these same items, so their rates are optimistic: confirm them on held-out data.';

export const SOURCE_NOTE =
  'When classes and sources are entangled, a model can score well by recognising the source instead of the ' +
  'disease: compare the sensitivity of a class across sources.';

export const AUDIT_NOTE =
  'The audit ran on the whole dataset (Find Label Issues / Find Duplicates and Leakage / Audit Source Shortcuts); ' +
  'a shortcut found there means these metrics may reward recognising the source rather than the disease.';

export const CHANGE_NOTE =
  `Changes are current minus previous point estimates (${WORSE_MARK} = worse), not a paired test: a small change ` +
  'inside both intervals may be noise.';
