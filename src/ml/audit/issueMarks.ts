// What the gallery shows of an audit's label issues, for either kind of dataset: every item's issue score and the
// suggestion of each item in the issue queue (a class, or a finding's state).
import type { SuggestedFinding } from '../../shared/protocol';
import { suggestedFindingsOf } from '../multilabel/findingIssues';
import type { AuditReport } from './index';
import { evidenceText } from './issueEvidence';

export interface LabelIssueMarks {
  /** Issue score of every labelled item. */
  scores: Readonly<Record<string, number>>;
  /** Suggested label of each item found likely mislabelled (single-label datasets). */
  suggestedLabels: Readonly<Record<string, string>>;
  /** Why each item with a suggested label is an issue, in words (audits of format 3 on). */
  issueReasons: Readonly<Record<string, string>>;
  /** Suggested finding state of each item with a likely wrong or uncertain finding (multi-label datasets). */
  suggestedFindings: Readonly<Record<string, SuggestedFinding>>;
}

export function labelIssueMarks(report: Pick<AuditReport, 'labelIssues' | 'findingIssues'>): LabelIssueMarks {
  const { labelIssues, findingIssues } = report;
  return {
    scores: labelIssues?.scores ?? findingIssues?.scores ?? {},
    suggestedLabels: Object.fromEntries((labelIssues?.issues ?? []).map((issue) => [issue.id, issue.suggestedLabel])),
    issueReasons: Object.fromEntries(
      (labelIssues?.issues ?? []).flatMap((issue) =>
        issue.kind && issue.evidence ? [[issue.id, evidenceText({ kind: issue.kind, ...issue.evidence }, issue.givenLabel, issue.suggestedLabel)]] : [],
      ),
    ),
    suggestedFindings: findingIssues ? suggestedFindingsOf(findingIssues) : {},
  };
}

/** How many labels the audit found likely wrong (uncertain findings to resolve are not counted). */
export function labelIssueCount(report: Pick<AuditReport, 'labelIssues' | 'findingIssues'>): number {
  return report.labelIssues?.issues.length ?? report.findingIssues?.issues.length ?? 0;
}
