/** The report as GitHub-flavoured Markdown: the HTML report's tables, without the plots. */
import {
  AUDIT_NOTE,
  CHANGE_NOTE,
  classChangeTable,
  classTable,
  confusionTable,
  headlineChangeTable,
  headlineTable,
  operatingPointTable,
  reportFacts,
  SOURCE_NOTE,
  sourceTable,
  THRESHOLD_NOTE,
  type Cell,
  type Table,
} from './tables';
import type { Report } from './types';
import { LEARNING_CURVE_NOTE, learningCurveTable } from './learningCurve';

export function renderMarkdown(report: Report): string {
  const { evaluation } = report;
  const out: string[] = [`# ${escapeMarkdown(report.title)}`, ''];
  for (const [label, value] of reportFacts(report)) out.push(`- **${label}:** ${escapeMarkdown(value)}`);

  out.push('', '## Summary', '', table(headlineTable(evaluation)));
  out.push('', '## Confusion matrix', '', 'Rows are true classes, columns predicted classes; percentages are of the row.', '', table(confusionTable(evaluation)));
  out.push('', '## Per class (one against the rest)', '', table(classTable(evaluation)));
  out.push('', 'ROC and precision-recall curves are in the HTML report; their areas are the ROC AUC and AP columns.');

  out.push('', '## Operating points', '', THRESHOLD_NOTE, '', table(operatingPointTable(report)));

  if (report.sources !== null) out.push('', '## Per source', '', SOURCE_NOTE, '', table(sourceTable(report)));

  const comparison = report.comparison;
  if (comparison !== null) {
    out.push('', `## Change against ${escapeMarkdown(comparison.previousModel.version)}`, '');
    for (const note of comparison.notes) out.push(`> Note: ${escapeMarkdown(note)}`, '');
    out.push(
      comparison.worse.length === 0
        ? 'No metric got worse.'
        : `Worse (${comparison.worse.length}):\n\n${comparison.worse.map((w) => `- ${escapeMarkdown(w)}`).join('\n')}`,
    );
    out.push('', CHANGE_NOTE, '', table(headlineChangeTable(comparison.headline)), '', table(classChangeTable(report, comparison.perClass)));
  }

  if (report.learningCurve?.length) out.push('', '## Learning curve', '', LEARNING_CURVE_NOTE, '', table(learningCurveTable(report.learningCurve)));
  if (report.audit !== null) {
    const { audit } = report;
    out.push('', '## Data audit', '', `${escapeMarkdown(audit.summary)} (${escapeMarkdown(audit.file)}).`, '');
    out.push(...(audit.findings.length ? audit.findings.map((f) => `- ${escapeMarkdown(f)}`) : ['No source shortcut found.']), '', AUDIT_NOTE);
  }
  if (evaluation.warnings.length > 0) {
    out.push('', '## Warnings', '', ...evaluation.warnings.map((w) => `- ${escapeMarkdown(w)}`));
  }
  out.push('', `_Report format version ${report.version}, made by xray-curator._`, '');
  return out.join('\n');
}

export function table(t: Table): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  const align = t.header.map((_, i) => (i === 0 ? ':---' : '---:'));
  const rows = t.rows.map((r) => {
    const cells = r.cells.map(cellText);
    if (r.note !== undefined) cells.push(r.note, ...new Array<string>(Math.max(0, t.header.length - cells.length - 1)).fill(''));
    return line(cells);
  });
  return [line(t.header), `| ${align.join(' | ')} |`, ...rows].join('\n');
}

/** `0.91 (0.87–0.94), n = 30`. */
function cellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  return `${cell.text}${cell.interval === undefined ? '' : ` (${cell.interval})`}${cell.detail === undefined ? '' : `, ${cell.detail}`}`;
}

/** Backslash-escapes Markdown and HTML punctuation so data (class names, sources) is shown as text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#!&~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
