import * as vscode from 'vscode';
import type { AuditSection } from '../ml/audit/auditMarkdown';
import type { AuditSummary } from '../ml/jobs/datasetJobs';
import type { CuratorContext } from './curatorContext';
import { runJobWithProgress } from './jobProgress';
import { jobParams } from './modelCommands';

const TITLES: Record<AuditSection, string> = {
  labelIssues: 'Finding label issues',
  duplicates: 'Finding duplicates and leakage',
  shortcuts: 'Auditing source shortcuts',
};

/**
 * Find Label Issues / Find Duplicates and Leakage / Audit Source Shortcuts: one audit of the cached embeddings
 * (seconds once embedded), saved as JSON and Markdown in `.xray-curator/audits/`; the Markdown opens with the
 * asked-for section first, and the gallery gets every item's issue score and the suggested labels of its issue queue.
 */
export async function runAuditCommand(ctx: CuratorContext, root: string, section: AuditSection): Promise<AuditSummary | undefined> {
  const summary = await runJobWithProgress<AuditSummary>(TITLES[section], 'audit', { ...jobParams(ctx, root), section });
  if (!summary) return undefined;
  ctx.galleries.get(root)?.setLabelIssues(summary.marks);
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(summary.markdown));
  const headline =
    section === 'labelIssues' && summary.toResolve !== undefined ? `${summary.labelIssues} finding labels likely wrong, ${summary.toResolve} uncertain to resolve`
    : section === 'labelIssues' ? `${summary.labelIssues} images whose label is likely wrong`
    : section === 'duplicates' ? `${summary.duplicateClusters} duplicate clusters`
    : summary.shortcutFindings[0] ?? 'no shortcut found';
  const actions = section === 'labelIssues' ? ['Review in Gallery'] : [];
  void vscode.window.showInformationMessage(`X-Ray Curator: ${headline}. ${summary.summary}.`, ...actions).then((action) => {
    if (action === 'Review in Gallery') void vscode.commands.executeCommand('xrayCurator.filterGallery', { root, issueQueue: true });
  });
  return summary;
}
