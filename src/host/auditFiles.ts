// The label-issue marks of a dataset's newest audit, so a gallery opened later still shows them.
import { latestAudit } from '../ml/audit/auditFiles';
import { labelIssueMarks, type LabelIssueMarks } from '../ml/audit/issueMarks';

export async function latestLabelIssues(root: string): Promise<LabelIssueMarks | undefined> {
  const latest = await latestAudit(root);
  return latest && labelIssueMarks(latest.report);
}
