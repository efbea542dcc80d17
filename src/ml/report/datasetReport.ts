// Reports of a dataset's model versions: which items a report is made of, and the honest default — the version's
// own held-out validation split, saved with it — built and saved into `<dataset>/.xray-curator/reports/`.
import * as path from 'node:path';
import { openDataset } from '../../dataset';
import { latestAudit } from '../audit/auditFiles';
import { auditSummary } from '../audit/auditDataset';
import { labelIssueCount } from '../audit/issueMarks';
import type { Dataset } from '../../dataset';
import { latestVersion, modelsDir, readValidation, readVersionInfo } from '../modelStore';
import type { ModelVersionInfo } from '../modelStore';
import { SOURCE_COLUMN } from '../predictItems';
import { stateDirOf } from '../session';
import { GROUP_COLUMN } from '../trainModel';
import { buildReport } from './buildReport';
import { learningCurve } from './learningCurve';
import type { Report, ReportItem, ReportModel } from './types';
import { latestReport, reportsDir, writeReport } from './writeReport';
import type { ReportPaths } from './writeReport';

export function reportModelOf(info: ModelVersionInfo): ReportModel {
  return {
    version: `v${info.modelVersion}`,
    parent: info.parent === null ? null : `v${info.parent}`,
    trainedAt: info.createdAt,
    backboneId: info.backbone.id,
  };
}

/** Labelled, readable items of the model's classes that have probabilities; the rest counted in words. */
export function reportItemsOf(dataset: Dataset, classes: readonly string[], probs: ReadonlyMap<string, readonly number[]>): { items: ReportItem[]; skipped: string[] } {
  const items: ReportItem[] = [];
  const counts = { unlabelled: 0, otherClass: 0, unreadable: 0, unpredicted: 0 };
  for (const item of dataset.items) {
    const row = probs.get(item.id);
    if (item.error) counts.unreadable++;
    else if (item.label === null) counts.unlabelled++;
    else if (!classes.includes(item.label)) counts.otherClass++;
    else if (row === undefined) counts.unpredicted++;
    else items.push({ id: item.id, label: item.label, probs: row, group: item.metadata[GROUP_COLUMN] || null, source: item.metadata[SOURCE_COLUMN] || null });
  }
  const skipped: string[] = [];
  if (counts.unreadable) skipped.push(`${counts.unreadable} unreadable items left out`);
  if (counts.unlabelled) skipped.push(`${counts.unlabelled} unlabelled items left out`);
  if (counts.otherClass) skipped.push(`${counts.otherClass} items of classes the model does not know left out`);
  if (counts.unpredicted) skipped.push(`${counts.unpredicted} items without a prediction left out`);
  return { items, skipped };
}

export interface SavedReport {
  report: Report;
  paths: ReportPaths;
}

/**
 * The report of a version on its held-out validation split (labels as they are now), compared with the parent's
 * latest report, saved as JSON, Markdown and HTML. Default version: the latest.
 */
export async function saveValidationReport(root: string, modelVersion?: number, options: { signal?: AbortSignal } = {}): Promise<SavedReport> {
  const stateDir = stateDirOf(root);
  const dir = modelVersion === undefined ? (await latestVersion(stateDir))?.dir : path.join(modelsDir(stateDir), `v${modelVersion}`);
  if (!dir) throw new Error('the dataset has no trained model yet: run Retrain Model first');
  const info = await readVersionInfo(dir);
  const validation = await readValidation(dir);
  if (!validation) throw new Error(`model v${info.modelVersion} was saved without its validation predictions: retrain to get a report`);
  const dataset = await openDataset(root);
  const probs = new Map(validation.ids.map((id, i) => [id, validation.probs[i]]));
  const { items } = reportItemsOf(dataset, info.classes, probs);
  if (items.length === 0) throw new Error(`no validation item of model v${info.modelVersion} is still labelled with one of its classes`);
  const model = reportModelOf(info);
  const previous = model.parent ? ((await latestReport(reportsDir(stateDir), model.parent)) ?? undefined) : undefined;
  const audit = await latestAudit(root);
  const report = buildReport({
    classes: info.classes,
    items,
    model,
    previous,
    audit: audit && {
      file: audit.file,
      summary: auditSummary(audit.report),
      labelIssues: labelIssueCount(audit.report),
      duplicateClusters: audit.report.duplicates.clusters.length,
      findings: audit.report.shortcuts?.findings ?? [],
    },
    title: `Model ${model.version} on its validation split (${items.length} held-out images)`,
    learningCurve: await learningCurve(stateDir, info.modelVersion),
  });
  return { report, paths: await writeReport(reportsDir(stateDir), report, options) };
}
