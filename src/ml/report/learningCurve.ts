// The learning curve of a dataset's models: each version's validation balanced accuracy and macro AUC against the
// number of labels it was trained on, versions 1 … N, so a curator sees what labelling (or the active-learning
// queue) bought. Each version was validated on its own split at training time: the curve shows the trend, each
// point with its own interval.
import * as path from 'node:path';
import { listVersions, modelsDir, readVersionInfo } from '../modelStore';
import type { MetricEstimate } from '../metrics';
import { formatNumber } from './format';
import { estimateCell } from './tables';
import type { Table } from './tables';

export interface LearningPoint {
  /** e.g. `v3`. */
  version: string;
  /** Labelled images the version was trained on, and validated on. */
  trainLabels: number;
  validationLabels: number;
  balancedAccuracy: MetricEstimate;
  macroAuc: MetricEstimate;
}

export const LEARNING_CURVE_NOTE =
  'Each version\'s metrics on its own validation split when it was trained (95% intervals): read the trend, not small differences.';

/** Every version up to `upTo`, oldest first; a version whose record cannot be read is left out. */
export async function learningCurve(stateDir: string, upTo: number): Promise<LearningPoint[]> {
  const versions = (await listVersions(stateDir)).filter((v) => v <= upTo);
  const points: LearningPoint[] = [];
  for (const v of versions) {
    const info = await readVersionInfo(path.join(modelsDir(stateDir), `v${v}`)).catch(() => undefined);
    if (!info) continue;
    const { balancedAccuracy, macroAuc } = info.metrics;
    points.push({ version: `v${v}`, trainLabels: info.trainedOn.train, validationLabels: info.trainedOn.validation, balancedAccuracy, macroAuc });
  }
  return points;
}

export function learningCurveTable(points: readonly LearningPoint[]): Table {
  return {
    header: ['Version', 'Labels trained on', 'Validated on', 'Balanced accuracy', 'Macro AUC'],
    rows: points.map((p) => ({ cells: [p.version, String(p.trainLabels), String(p.validationLabels), estimateCell(p.balancedAccuracy), estimateCell(p.macroAuc)] })),
  };
}

/** The plot's series: balanced accuracy and macro AUC against labels, x as a share of the most labels. */
export function learningCurveSeries(points: readonly LearningPoint[]): { xMax: number; series: { name: string; points: [number, number][]; summary: string }[] } {
  const xMax = Math.max(1, ...points.map((p) => p.trainLabels));
  const line = (name: string, of: (p: LearningPoint) => MetricEstimate): { name: string; points: [number, number][]; summary: string } => {
    const defined = points.filter((p) => of(p).estimate !== null);
    return { name, points: defined.map((p) => [p.trainLabels / xMax, of(p).estimate!]), summary: `last ${formatNumber(of(points[points.length - 1]).estimate)}` };
  };
  return { xMax, series: [line('Balanced accuracy', (p) => p.balancedAccuracy), line('Macro AUC', (p) => p.macroAuc)] };
}
