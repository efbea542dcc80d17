/** Metric names and number formats shared by the Markdown and HTML renderers, so both read the same. */
import type { OperatingPointTarget } from '../metrics';

export const HEADLINE_METRICS = [
  { key: 'accuracy', label: 'Accuracy' },
  { key: 'balancedAccuracy', label: 'Balanced accuracy' },
  { key: 'macroF1', label: 'Macro F1' },
  { key: 'mcc', label: 'MCC' },
  { key: 'kappa', label: "Cohen's kappa" },
  { key: 'macroAuc', label: 'Macro ROC AUC' },
  { key: 'macroAveragePrecision', label: 'Macro AP' },
] as const;

export const CLASS_METRICS = [
  { key: 'sensitivity', label: 'Sensitivity' },
  { key: 'specificity', label: 'Specificity' },
  { key: 'precision', label: 'Precision' },
  { key: 'npv', label: 'NPV' },
  { key: 'f1', label: 'F1' },
  { key: 'auc', label: 'ROC AUC' },
  { key: 'averagePrecision', label: 'AP' },
] as const;

export type HeadlineMetric = (typeof HEADLINE_METRICS)[number]['key'];
export type ClassMetric = (typeof CLASS_METRICS)[number]['key'];

/** Shown for an undefined value (null in the JSON); the report's warnings say why. */
export const UNDEFINED_TEXT = 'n/a';

export function metricLabel(key: string): string {
  return [...HEADLINE_METRICS, ...CLASS_METRICS].find((m) => m.key === key)?.label ?? key;
}

export function formatNumber(value: number | null, digits = 2): string {
  return value === null ? UNDEFINED_TEXT : value.toFixed(digits);
}

/** Signed with a true minus sign, three decimals: small changes must stay visible. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return UNDEFINED_TEXT;
  const text = Math.abs(delta).toFixed(3);
  return delta < 0 && text !== '0.000' ? `−${text}` : `+${text}`;
}

/** A threshold of null means +Infinity: nothing is called positive. */
export function formatThreshold(threshold: number | null): string {
  return threshold === null ? '∞ (none positive)' : threshold.toFixed(4);
}

/** `sensitivity ≥ 0.95`. */
export function formatTarget(target: OperatingPointTarget): string {
  return target.sensitivity !== undefined ? `sensitivity ≥ ${target.sensitivity}` : `specificity ≥ ${target.specificity}`;
}

/** `95% CI, 1000 resamples of 412 patients`, or a note that there are no intervals. */
export function describeBootstrap(bootstrap: { iterations: number; alpha: number; unit: 'group' | 'item'; units: number } | null): string {
  if (bootstrap === null) return 'point estimates only (no bootstrap)';
  const level = Math.round((1 - bootstrap.alpha) * 100);
  return `${level}% percentile bootstrap intervals, ${bootstrap.iterations} resamples of ${bootstrap.units} ${bootstrap.unit === 'group' ? 'patients' : 'images'}`;
}
