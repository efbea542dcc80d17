// Reads the label-issue scores of a dataset's newest audit (`<state folder>/audits/audit-<time>.json`, written by
// the audit job), so a gallery opened later still shows them. Only types come from src/ml: no TensorFlow.js here.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stateDirOf } from '../dataset';
import type { AuditReport } from '../ml/audit';

export async function latestIssueScores(root: string): Promise<Record<string, number> | undefined> {
  const dir = path.join(stateDirOf(root), 'audits');
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((name) => /^audit-.*\.json$/.test(name)).sort();
  const newest = names.at(-1);
  if (!newest) return undefined;
  const report = JSON.parse(await fs.readFile(path.join(dir, newest), 'utf8')) as Partial<AuditReport>;
  if (report.version !== 1 || typeof report.labelIssues?.scores !== 'object') throw new Error(`${newest}: not an audit this version reads`);
  return report.labelIssues.scores;
}
