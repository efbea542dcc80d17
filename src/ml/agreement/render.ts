// The agreement report as Markdown and as a self-contained HTML page, with the metric report's table renderers.
import { htmlPage, section, table as htmlTable } from '../report/html';
import type { HtmlOptions } from '../report/html';
import { escapeMarkdown, table as markdownTable } from '../report/markdown';
import { formatNumber } from '../report/format';
import { escapeXml, rocWithMarks } from '../report/svg';
import type { Mark } from '../report/svg';
import type { Table } from '../report/tables';
import type { AgreementReport } from './agreementReport';
import type { ModelVsReaders, OperatingPoint } from './modelVsReaders';
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
  /** SVG figures, for the HTML page only (their numbers are in the tables). */
  figures?: string[];
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
  if (versus) {
    const model = report.modelVsReaders!;
    const curves = (model.curves ?? []).filter((c) => c.auc !== null);
    const aucs = curves.length ? [`The model's ROC AUC against the consensus: ${curves.map((c) => `${c.class} ${formatNumber(c.auc)}`).join(', ')}.`] : [];
    const how = report.kind === 'single-label' ? 'one class against the rest' : 'per finding, positive against not';
    out.push({ title: 'The model against the readers', notes: [`Sensitivity / specificity against the consensus, ${how}.`, ...aucs, model.note], tables: [versus], figures: rocFigures(model, report.kind) });
  }
  const { unsettled } = report.consensus;
  const more = unsettled.length > LISTED_UNSETTLED ? [`The first ${LISTED_UNSETTLED} of ${unsettled.length}; the JSON report lists all.`] : [];
  out.push({ title: `Unsettled by ${report.consensus.rule}`, notes: unsettled.length === 0 ? ['Every read item is settled.'] : more, tables: unsettled.length ? [unsettledTable(report)] : [] });
  if (report.warnings.length) out.push({ title: 'Warnings', notes: report.warnings, tables: [] });
  return out;
}

/** Per class, the model's ROC curve with each reader's point and the model's own (hollow). */
function rocFigures(model: ModelVsReaders, kind: AgreementReport['kind']): string[] {
  const hollow = kind === 'single-label' ? "the model's predicted class" : 'the model at the finding\'s threshold';
  return (model.curves ?? []).flatMap((curve, i) => {
    if (curve.auc === null) return [];
    const marks = [...model.readers.map((r) => mark(r.reader, r.perClass, curve.class)), mark(`model ${model.modelVersion}`, model.model, curve.class, true)].filter((m) => m !== undefined);
    const points = curve.fpr.map((x, j): [number, number] => [x, curve.tpr[j]]);
    const against = kind === 'single-label' ? 'against the rest' : 'positive against not';
    const plot = rocWithMarks(`roc-readers-${i}`, `${curve.class} ${against}: the model's ROC curve and the readers`, { name: `model ${model.modelVersion}`, points, summary: `AUC ${formatNumber(curve.auc)}` }, marks);
    return [`<figure>${plot}<figcaption>${escapeXml(curve.class)}: each dot is a reader's sensitivity and 1 − specificity against the consensus; the hollow dot is ${hollow}.</figcaption></figure>`];
  });
}

function mark(name: string, points: readonly OperatingPoint[], className: string, hollow = false): Mark | undefined {
  const point = points.find((p) => p.class === className);
  if (point?.sensitivity == null || point.specificity == null) return undefined;
  return { name, x: 1 - point.specificity, y: point.sensitivity, ...(hollow ? { hollow } : {}) };
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
    .map((block) => {
      const figures = block.figures?.length ? `<div class="figures">${block.figures.join('')}</div>` : '';
      return section(block.title, block.notes.map((n) => `<p>${escapeXml(n)}</p>`).join('') + figures + block.tables.map((t) => htmlTable(t)).join(''));
    })
    .join('\n');
  return htmlPage({ title: AGREEMENT_TITLE, facts: agreementFacts(report), body, footer: `Agreement report format version ${report.version} · made by xray-curator` }, options);
}
