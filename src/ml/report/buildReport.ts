/** Builds the balanced-metric report from a model's probabilities on labelled items. */
import { createHash } from 'node:crypto';
import { evaluate, type EvaluateOptions, type OperatingPointTarget } from '../metrics';
import { compareReports } from './compare';
import { REPORT_VERSION, type Report, type ReportInput, type ReportItem, type ReportOptions, type SourceBreakdown, type ThresholdTable } from './types';

export const DEFAULT_TARGETS: readonly OperatingPointTarget[] = [
  { sensitivity: 0.95 },
  { sensitivity: 0.9 },
  { specificity: 0.95 },
  { specificity: 0.9 },
];
export const DEFAULT_MIN_SOURCE_ITEMS = 20;
/** The class a two-class problem's positive class is chosen against by default. */
export const NEGATIVE_CLASS_NAME = 'NORMAL';
/** Items with no source when others have one. */
export const NO_SOURCE = '(no source)';

export function buildReport(input: ReportInput, options: ReportOptions = {}): Report {
  const { classes, items, model } = input;
  if (items.length === 0) throw new RangeError('nothing to report: no items');
  const yTrue = items.map((item) => classIndex(classes, item));
  const targets = (options.targets ?? DEFAULT_TARGETS).slice();
  const evaluateOptions = (subset: readonly ReportItem[], curves: boolean): EvaluateOptions => ({
    groups: subset.some((item) => item.group) ? subset.map((item) => item.group) : undefined,
    bootstrap: options.bootstrap ?? {},
    operatingPoints: targets,
    curves,
  });

  const evaluation = evaluate(items.map((item) => item.probs), yTrue, classes, evaluateOptions(items, true));
  const partial: Omit<Report, 'comparison'> = {
    audit: input.audit ?? null,
    ...(input.learningCurve ? { learningCurve: input.learningCurve } : {}),
    version: REPORT_VERSION,
    title: input.title ?? `Model ${model.version}: balanced metrics`,
    createdAt: options.createdAt ?? new Date().toISOString(),
    model: { version: model.version, parent: model.parent ?? null, trainedAt: model.trainedAt ?? null, backboneId: model.backboneId ?? null },
    classes: classes.slice(),
    counts: classCounts(classes, yTrue),
    itemsHash: itemsHash(items),
    evaluation,
    thresholds: thresholdTable(classes, targets, options.positiveClass),
    sources: sourceBreakdown(items, classes, options.minSourceItems ?? DEFAULT_MIN_SOURCE_ITEMS, (subset) =>
      evaluate(subset.map((item) => item.probs), subset.map((item) => classIndex(classes, item)), classes, evaluateOptions(subset, false)),
    ),
  };
  return { ...partial, comparison: input.previous === undefined ? null : compareReports(partial, input.previous) };
}

/**
 * The positive class of a two-class problem: `requested` if given, else the first class not named NORMAL.
 * Null for more classes unless requested (each class is then read against the rest).
 */
export function positiveClassOf(classes: readonly string[], requested?: string): string | null {
  if (requested !== undefined) {
    if (!classes.includes(requested)) throw new RangeError(`positive class ${requested} is not one of ${classes.join(', ')}`);
    return requested;
  }
  if (classes.length !== 2) return null;
  return classes.find((c) => c.toUpperCase() !== NEGATIVE_CLASS_NAME) ?? classes[0];
}

function thresholdTable(classes: readonly string[], targets: OperatingPointTarget[], requested: string | undefined): ThresholdTable {
  const positiveClass = positiveClassOf(classes, requested);
  return { positiveClass, classes: positiveClass === null ? classes.slice() : [positiveClass], targets };
}

function classIndex(classes: readonly string[], item: ReportItem): number {
  const index = classes.indexOf(item.label);
  if (index < 0) throw new RangeError(`item ${item.id} has label ${item.label}, which is not one of ${classes.join(', ')}`);
  return index;
}

function classCounts(classes: readonly string[], yTrue: readonly number[]): number[] {
  const counts = new Array<number>(classes.length).fill(0);
  for (const y of yTrue) counts[y]++;
  return counts;
}

function itemsHash(items: readonly ReportItem[]): string {
  const lines = items.map((item) => `${item.id}\t${item.label}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** One entry per source, largest first; null when no item has a source. */
function sourceBreakdown(
  items: readonly ReportItem[],
  classes: readonly string[],
  minItems: number,
  evaluateSubset: (subset: readonly ReportItem[]) => SourceBreakdown['evaluation'],
): SourceBreakdown[] | null {
  if (!items.some((item) => item.source)) return null;
  const bySource = new Map<string, ReportItem[]>();
  for (const item of items) {
    const source = item.source || NO_SOURCE;
    const members = bySource.get(source);
    if (members === undefined) bySource.set(source, [item]);
    else members.push(item);
  }
  return [...bySource.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
    .map(([source, subset]): SourceBreakdown => {
      const small = subset.length < minItems;
      return {
        source,
        n: subset.length,
        counts: classCounts(classes, subset.map((item) => classIndex(classes, item))),
        evaluation: small ? null : evaluateSubset(subset),
        skipped: small ? `only ${subset.length} items (fewer than ${minItems}): not evaluated` : null,
      };
    });
}
