// Reads the label-issue scores and suggested labels of a dataset's newest audit (`<state folder>/audits/audit-<time>.json`, written by
// the audit job), so a gallery opened later still shows them. Only types come from src/ml: no TensorFlow.js here.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stateDirOf } from '../dataset';
import type { AuditReport } from '../ml/audit';
import { suggestedLabelsOf } from '../ml/audit/labelIssues';
import type { LabelIssueMarks } from './galleryData';

export async function latestLabelIssues(root: string): Promise<LabelIssueMarks | undefined> {
  const dir = path.join(stateDirOf(root), 'audits');
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((name) => /^audit-.*\.json$/.test(name)).sort();
  const newest = names.at(-1);
  if (!newest) return undefined;
  const report = JSON.parse(await fs.readFile(path.join(dir, newest), 'utf8')) as Partial<AuditReport>;
  if (report.version !== 1 || typeof report.labelIssues?.scores !== 'object' || !Array.isArray(report.labelIssues.issues)) {
    throw new Error(`${newest}: not an audit this version reads`);
  }
  return { scores: report.labelIssues.scores, suggestedLabels: suggestedLabelsOf(report.labelIssues.issues) };
}
