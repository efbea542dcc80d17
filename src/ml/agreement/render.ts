// The agreement report as Markdown and as a self-contained HTML page, with the metric report's table renderers.
import { htmlPage, section, table as htmlTable } from '../report/html';
import type { HtmlOptions } from '../report/html';
import { escapeMarkdown, table as markdownTable } from '../report/markdown';
import { escapeXml } from '../report/svg';
import type { Table } from '../report/tables';
import type { AgreementReport } from './agreementReport';
import {
  agreementFacts,
  confusionTable,
  findingConfusionTable,
  LISTED_UNSETTLED,
  modelVsReadersTable,
  overallTable,
  pairTable,
  perClassTable,
  prevalenceTable,
  unsettledTable,
} from './tables';

export const AGREEMENT_TITLE = 'Reader agreement';

/** Titled blocks of text and tables, in report order; each renderer turns them into its own syntax. */
interface Block {
  title: string;
  notes: string[];
  tables: Table[];
}

function blocks(report: AgreementReport): Block[] {
  const out: Block[] = [
    { title: 'Overall', notes: report.kind === 'multi-label' ? ['Every finding of every image pooled; resampled by image.'] : [], tables: [overallTable(report)] },
    { title: "Cohen's kappa per reader pair", notes: [], tables: [pairTable(report)] },
    { title: report.kind === 'single-label' ? 'Per class (one against the rest)' : 'Per finding (positive against not)', notes: [], tables: [perClassTable(report)] },
    {
      title: 'Reader against reader',
      notes: report.kind === 'single-label' ? ['Rows are the first reader’s classes, columns the second’s.'] : [],
      tables: report.kind === 'single-label' ? report.confusion.map(confusionTable) : [findingConfusionTable(report)],
    },
    { title: 'Prevalence per reader', notes: [], tables: [prevalenceTable(report)] },
  ];
  const versus = modelVsReadersTable(report);
  if (versus) out.push({ title: 'The model against the readers', notes: ['Sensitivity / specificity against the consensus, one class against the rest.', report.modelVsReaders!.note], tables: [versus] });
  const { unsettled } = report.consensus;
  const more = unsettled.length > LISTED_UNSETTLED ? [`The first ${LISTED_UNSETTLED} of ${unsettled.length}; the JSON report lists all.`] : [];
  out.push({ title: `Unsettled by ${report.consensus.rule}`, notes: unsettled.length === 0 ? ['Every read item is settled.'] : more, tables: unsettled.length ? [unsettledTable(report)] : [] });
  if (report.warnings.length) out.push({ title: 'Warnings', notes: report.warnings, tables: [] });
  return out;
}

export function renderAgreementMarkdown(report: AgreementReport): string {
  const out: string[] = [`# ${AGREEMENT_TITLE}`, ''];
  for (const [label, value] of agreementFacts(report)) out.push(`- **${label}:** ${escapeMarkdown(value)}`);
  for (const block of blocks(report)) {
    out.push('', `## ${escapeMarkdown(block.title)}`);
    for (const note of block.notes) out.push('', escapeMarkdown(note));
    for (const t of block.tables) out.push('', markdownTable(t));
  }
  out.push('', `_Agreement report format version ${report.version}, made by xray-curator._`, '');
  return out.join('\n');
}

export function renderAgreementHtml(report: AgreementReport, options: HtmlOptions = {}): string {
  const body = blocks(report)
    .map((block) => section(block.title, block.notes.map((n) => `<p>${escapeXml(n)}</p>`).join('') + block.tables.map((t) => htmlTable(t)).join('')))
    .join('\n');
  return htmlPage({ title: AGREEMENT_TITLE, facts: agreementFacts(report), body, footer: `Agreement report format version ${report.version} · made by xray-curator` }, options);
}
