/** The balanced-metric report: its saved JSON format (version 1) and what builds it. */
import type { Evaluation, MetricEstimate, OperatingPointTarget } from '../metrics';
import type { LearningPoint } from './learningCurve';

/** Version of the report JSON format; bump when a field changes meaning. */
export const REPORT_VERSION = 1;

/** One evaluated image: its true label and the model's class probabilities (same order as `classes`). */
export interface ReportItem {
  id: string;
  label: string;
  probs: readonly number[];
  /** Patient id: the bootstrap resamples whole patients when known. */
  group?: string | null;
  /** The manifest's `source` column: enables the per-source breakdown. */
  source?: string | null;
}

export interface ReportModel {
  /** Model version, e.g. `v3`. */
  version: string;
  /** Version this model was trained from, if any. */
  parent?: string | null;
  trainedAt?: string | null;
  backboneId?: string | null;
}

export interface ReportInput {
  classes: readonly string[];
  items: readonly ReportItem[];
  model: ReportModel;
  /** The previous model's report, to show what changed. */
  previous?: Report;
  audit?: ReportAudit;
  title?: string;
  /** The dataset's versions up to this one: metrics against labels. */
  learningCurve?: LearningPoint[];
}

export interface ReportOptions {
  /**
   * Class whose operating points make the threshold table. Default: for two classes, the first class not
   * named NORMAL (case-insensitive); for more classes, none (every class one-vs-rest).
   */
  positiveClass?: string;
  /** Operating-point targets. Default: sensitivity 0.95 and 0.90, specificity 0.95 and 0.90. */
  targets?: readonly OperatingPointTarget[];
  /** Sources with fewer items are listed but not evaluated (their intervals would be meaningless). Default 20. */
  minSourceItems?: number;
  /** Bootstrap settings for every evaluation, or false for point estimates only. Default: 1000 resamples, seed 0, 95% intervals. */
  bootstrap?: { iterations?: number; seed?: number } | false;
  /** ISO time stamped on the report. Default: now. */
  createdAt?: string;
}

/** Per-source part of the report; `evaluation` is null (and `skipped` says why) for small sources. */
export interface SourceBreakdown {
  source: string;
  n: number;
  /** Items per true class, in class order. */
  counts: number[];
  evaluation: Evaluation | null;
  skipped: string | null;
}

/** One metric of the current model against the previous one; every metric here is higher-is-better. */
export interface MetricChange {
  /** Key in `Evaluation` (headline) or `ClassEvaluation` (per class). */
  metric: string;
  /** Null for a headline metric. */
  class: string | null;
  previous: MetricEstimate;
  current: MetricEstimate;
  /** Difference of the point estimates, current - previous; null when either is undefined. */
  delta: number | null;
  worse: boolean;
}

export interface ReportComparison {
  previousModel: ReportModel;
  previousCreatedAt: string;
  /** Both reports were computed on the same items with the same labels (same `itemsHash`). */
  sameItems: boolean;
  headline: MetricChange[];
  perClass: MetricChange[];
  /**
   * Changes for the worse, in words, e.g. `Sensitivity of COVID 0.950 → 0.900 (−0.050)`. These are differences of
   * point estimates, not a paired test: read them with the intervals.
   */
  worse: string[];
  /** Caveats: different items, a previous report that is not of the parent model, missing classes. */
  notes: string[];
}

export interface ThresholdTable {
  /** The positive class of a two-class problem, or null (every class against the rest). */
  positiveClass: string | null;
  /** Classes in the table; their points are `evaluation.perClass[c].operatingPoints`, one per target. */
  classes: string[];
  targets: OperatingPointTarget[];
}

export interface Report {
  version: typeof REPORT_VERSION;
  title: string;
  createdAt: string;
  model: ReportModel;
  classes: string[];
  /** Items per true class, in class order. */
  counts: number[];
  /** sha256 of the sorted `id<TAB>label` lines: tells whether two reports saw the same data. */
  itemsHash: string;
  /** Over all items, with ROC and PR curves. */
  evaluation: Evaluation;
  thresholds: ThresholdTable;
  /** Null when no item has a source. */
  sources: SourceBreakdown[] | null;
  comparison: ReportComparison | null;
  /** The dataset's newest audit, in brief: what to know before trusting these numbers. Null without an audit. */
  audit: ReportAudit | null;
  /** Versions 1 … this one: validation metrics against the labels trained on (absent in reports made before it existed). */
  learningCurve?: LearningPoint[];
}

/** The audit findings a report carries (the full audit is its own JSON and Markdown in `audits/`). */
export interface ReportAudit {
  /** The audit JSON it summarises. */
  file: string;
  summary: string;
  labelIssues: number;
  duplicateClusters: number;
  /** Source-shortcut findings in plain words, most important first. */
  findings: string[];
}
