// The label-issue scores and suggested labels of a dataset's newest audit, so a gallery opened later still shows them.
import { latestAudit } from '../ml/audit/auditFiles';
import { suggestedLabelsOf } from '../ml/audit/labelIssues';
import type { LabelIssueMarks } from './galleryData';

export async function latestLabelIssues(root: string): Promise<LabelIssueMarks | undefined> {
  const latest = await latestAudit(root);
  if (!latest) return undefined;
  const { labelIssues } = latest.report;
  return { scores: labelIssues.scores, suggestedLabels: suggestedLabelsOf(labelIssues.issues) };
}
