// The audits of a dataset, `<state folder>/audits/audit-<time>.json` (written by the audit job): the newest one is
// what the gallery's issue scores and the metric report's audit section come from. No TensorFlow.js here.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stateDirOf } from '../../dataset/userCache';
import type { AuditReport } from './index';

export function auditsDir(root: string): string {
  return path.join(stateDirOf(root), 'audits');
}

/** The newest audit of a dataset, or undefined when none was run; a file of another format throws. */
export async function latestAudit(root: string): Promise<{ file: string; report: AuditReport } | undefined> {
  const dir = auditsDir(root);
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((name) => /^audit-.*\.json$/.test(name)).sort();
  const newest = names.at(-1);
  if (!newest) return undefined;
  const file = path.join(dir, newest);
  const report = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<AuditReport>;
  const issues = report.labelIssues ?? report.findingIssues;
  const version: unknown = report.version;
  if (![1, 2, 3, 4].includes(version as number) || typeof issues?.scores !== 'object' || !Array.isArray(issues.issues)) {
    throw new Error(`${newest}: not an audit this version reads`);
  }
  return { file, report: report as AuditReport };
}
