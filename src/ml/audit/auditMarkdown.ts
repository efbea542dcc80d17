// The audit as a Markdown page a person reads (and diffs): findings first, then the evidence, section by section.
import { escapeMarkdown } from '../report/markdown';
import type { FindingIssuesSection } from '../multilabel/findingIssues';
import type { AuditReport } from './index';
import { evidenceText } from './issueEvidence';

const TOP_ISSUES = 30;
const TOP_CLUSTERS = 20;

export type AuditSection = 'labelIssues' | 'duplicates' | 'shortcuts';

const percent = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const md = (text: string): string => escapeMarkdown(text);

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function labelIssues(report: AuditReport): string {
  const { labelIssues: li, classes } = report;
  if (!li) return report.findingIssues ? findingIssues(report.findingIssues) : '## Label issues\n\nNot checked.';
  const rows = li.issues
    .slice(0, TOP_ISSUES)
    .map((issue, rank) => [String(rank + 1), md(issue.id), md(issue.givenLabel), md(issue.suggestedLabel), issue.score.toFixed(3), md(issueWhy(issue))]);
  const looksWrong = li.issues.filter((issue) => issue.kind === 'label').length;
  return [
    '## Label issues',
    `${li.issues.length} items whose given label is likely wrong (${md(li.method)}; out-of-fold balanced accuracy of the probabilities used: ${percent(li.balancedAccuracy)}). The gallery's issue score and filter walk the same list.`,
    li.issues.some((issue) => issue.kind)
      ? [
          `For ${looksWrong} of them the label looks wrong: most of their most similar images carry another class.`,
          looksWrong < li.issues.length
            ? `For the other ${li.issues.length - looksWrong} the model is weak there: their most similar images share their label and only the classifier objects (an unusual image, or a source with few images). Those come last.`
            : '',
        ].join(' ')
      : '',
    table(['#', 'item', 'given', 'suggested', 'score', 'why'], rows),
    li.issues.length > TOP_ISSUES ? `… and ${li.issues.length - TOP_ISSUES} more in the JSON.` : '',
    '### Estimated noise matrix P(given label | true label)',
    table(['given \\ true', ...classes.map(md)], li.noiseMatrix.map((row, r) => [md(classes[r]), ...row.map((p) => p.toFixed(3))])),
  ].join('\n\n');
}

function issueWhy(issue: NonNullable<AuditReport['labelIssues']>['issues'][number]): string {
  // Audits before format 3 carry no evidence.
  return issue.kind && issue.evidence ? evidenceText({ kind: issue.kind, ...issue.evidence }, issue.givenLabel, issue.suggestedLabel) : '';
}

function findingIssues(fi: FindingIssuesSection): string {
  const rows = fi.issues.slice(0, TOP_ISSUES).map((issue, rank) => [String(rank + 1), md(issue.id), md(issue.finding), issue.given, issue.suggested, issue.score.toFixed(3)]);
  const resolve = fi.toResolve.slice(0, TOP_ISSUES).map((t) => [md(t.id), md(t.finding), t.probability.toFixed(3), t.suggested]);
  return [
    '## Label issues per finding',
    `${fi.issues.length} finding labels that are likely wrong, and ${fi.toResolve.length} uncertain labels to resolve (${md(fi.method)}). The gallery's issue queue walks the same list.`,
    table(
      ['finding', 'labels checked', 'positive', 'likely wrong', 'uncertain'],
      fi.findings.map((f) => [md(f.finding), String(f.support), String(f.positives), String(f.issues), String(f.toResolve)]),
    ),
    fi.leftOut.length ? `Not checked (too few labels on one side): ${fi.leftOut.map((f) => `${md(f.finding)} (${f.positives} positive, ${f.negatives} negative)`).join(', ')}.` : '',
    table(['#', 'item', 'finding', 'given', 'suggested', 'score'], rows),
    fi.issues.length > TOP_ISSUES ? `… and ${fi.issues.length - TOP_ISSUES} more in the JSON.` : '',
    fi.toResolve.length ? `### Uncertain labels to resolve\n\n${table(['item', 'finding', 'probability', 'leans'], resolve)}` : '',
    fi.toResolve.length > TOP_ISSUES ? `… and ${fi.toResolve.length - TOP_ISSUES} more in the JSON.` : '',
  ].join('\n\n');
}

function duplicates(report: AuditReport): string {
  const { duplicates: d, leakage } = report;
  const clusters = d.clusters.slice(0, TOP_CLUSTERS).map((c) => [md(c.id), c.kind, String(c.members.length), c.members.map(md).join('<br>'), [...new Set(c.evidence.map((e) => e.reason))].join(', ')]);
  const leaks = (title: string, key: string, rows: { cluster: string; members: string[]; values: string[] }[]): string =>
    `### ${title}\n\n${rows.length ? table(['cluster', key, 'members'], rows.map((r) => [md(r.cluster), r.values.map(md).join(', '), r.members.map(md).join('<br>')])) : 'None.'}`;
  return [
    '## Duplicates and leakage',
    `${d.clusters.length} clusters of exact or near duplicates (perceptual hash distance ≤ ${d.thresholds.maxDhashDistance} bits, or embedding cosine ≥ ${d.thresholds.minCosine}). Check the top ones by eye:`,
    clusters.length ? table(['cluster', 'kind', 'n', 'members', 'evidence'], clusters) : 'None.',
    leaks('Across splits', 'splits', leakage.acrossSplits.map((r) => ({ ...r, values: r.splits }))),
    leaks('Across classes (the same image under two labels)', 'classes', leakage.acrossClasses.map((r) => ({ ...r, values: r.classes }))),
    leaks('Across patients (one image, two patient ids)', 'patients', leakage.acrossPatients.map((r) => ({ ...r, values: r.patients }))),
    `Suggested grouping for splits: ${leakage.suggestedGroups.length} groups joining patients and duplicate clusters (in the JSON, \`leakage.suggestedGroups\`).`,
    leakage.ignoredPatientIds.length ? `Patient ids ignored as groups (implausibly many items): ${leakage.ignoredPatientIds.map((p) => `${md(p.patient)} (${p.items})`).join(', ')}.` : '',
  ].join('\n\n');
}

/** Multi-label: each checked finding, positive against not: what was found, and the finding's counts by source. */
function findingShortcuts(report: AuditReport): string {
  const audited = report.findingShortcuts ?? [];
  if (audited.length === 0) return '## Source shortcuts\n\nNo metadata to audit (the label file gives no source or other metadata columns).';
  return [
    '## Source shortcuts per finding',
    'Each finding checked for label issues, positive against not: can it be told from metadata alone, and does the classifier hold up per source and on a source it never saw.',
    ...audited.map(({ finding, shortcuts: s }) =>
      [
        `### ${md(finding)}`,
        s.findings.length ? s.findings.map((f) => `- ${md(f)}`).join('\n') : 'Nothing found.',
        s.classBySource.length ? table(['source', `no ${md(finding)}`, md(finding)], s.classBySource.map((row) => [md(row.source), ...row.counts.map(String)])) : '',
      ].filter(Boolean).join('\n\n'),
    ),
  ].join('\n\n');
}

function shortcuts(report: AuditReport): string {
  const s = report.shortcuts;
  if (!s && report.findingIssues) return findingShortcuts(report);
  if (!s) return '## Source shortcuts\n\nNo metadata to audit (the manifest has no source or other metadata columns).';
  const classes = report.classes.map(md);
  return [
    '## Source shortcuts',
    s.findings.map((f) => `- ${md(f)}`).join('\n'),
    '### Class × source',
    table(['source', ...classes], s.classBySource.map((row) => [md(row.source), ...row.counts.map(String)])),
    '### Class predicted from metadata alone',
    table(['from', 'balanced accuracy', 'chance'], s.classFromMetadata.map((c) => [md(c.from), percent(c.balancedAccuracy), percent(c.chance)])),
    '### Metadata predicted from the embeddings',
    table(['attribute', 'balanced accuracy', 'chance'], s.metadataFromEmbeddings.map((a) => [md(a.attribute), percent(a.balancedAccuracy), percent(a.chance)])),
    '### The classifier per source, and trained without it (leave-one-source-out)',
    table(
      ['source', 'items', 'balanced accuracy', 'accuracy when trained without it'],
      s.perSource.map((p) => [md(p.source), String(p.items), percent(p.balancedAccuracy), percent(s.leaveOneSourceOut.find((l) => l.source === p.source)?.accuracy ?? null)]),
    ),
    '### Remedies, measured',
    table(['remedy', 'metric', 'before', 'after'], s.remedies.map((r) => [md(r.description), md(r.metric), percent(r.before), percent(r.after)])),
  ].join('\n\n');
}

const SECTIONS: Record<AuditSection, (report: AuditReport) => string> = { labelIssues, duplicates, shortcuts };

/** The audit page; `first` puts the section a command asked for at the top. */
export function renderAuditMarkdown(report: AuditReport, first: AuditSection = 'labelIssues'): string {
  const order = [first, ...(Object.keys(SECTIONS) as AuditSection[]).filter((s) => s !== first)];
  return [
    `# Data audit of ${md(report.dataset)}`,
    report.findingIssues
      ? `${report.items} items, multi-label: findings ${[...report.findingIssues.findings.map((f) => f.finding), ...report.findingIssues.leftOut.map((f) => f.finding)].map(md).join(', ')}.`
      : `${report.items} items, classes ${report.classes.map(md).join(', ')}.`,
    ...order.map((section) => SECTIONS[section](report)),
    report.warnings.length ? `## Warnings\n\n${report.warnings.slice(0, 50).map((w) => `- ${md(w)}`).join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n') + '\n';
}
