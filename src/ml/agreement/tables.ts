// The agreement report's tables as plain cells (the metric report's `Table`), so Markdown and HTML show the same.
import { describeBootstrap, formatNumber } from '../report/format';
import { estimateCell } from '../report/tables';
import type { Cell, RichCell, Table } from '../report/tables';
import type { AgreementReport } from './agreementReport';
import type { ReaderConfusion } from './buildAgreement';
import type { AgreementEstimate } from './estimate';
import type { OperatingPoint } from './modelVsReaders';

/** Unsettled items listed in the rendered report (the JSON has them all). */
export const LISTED_UNSETTLED = 50;

export function agreementFacts(report: AgreementReport): [string, string][] {
  return [
    ['Dataset', report.dataset],
    ['Labels', report.kind === 'single-label' ? `single-label: ${report.categories.join(', ')}` : `multi-label, ${report.categories.length} findings (positive against not)`],
    ['Readers', `${report.readers.length}: ${report.readers.join(', ')}`],
    ['Images read', String(report.items)],
    ['Consensus', `${report.consensus.rule}: ${report.consensus.settled} settled${report.consensus.adjudicated ? ` (${report.consensus.adjudicated} by an adjudicator's decision)` : ''}, ${report.consensus.unsettled.length} unsettled`],
    ['Intervals', describeBootstrap({ ...report.bootstrap, unit: 'item', units: report.items })],
    ['Report created', report.createdAt],
  ];
}

/** The estimate and interval; an undefined one says why. */
function agreementCell(e: AgreementEstimate, detail?: string): RichCell {
  const cell = estimateCell(e, detail);
  if (e.reason !== undefined) cell.detail = e.reason;
  return cell;
}

export function overallTable(report: AgreementReport): Table {
  return {
    header: ['Statistic', 'Estimate (95% CI)'],
    rows: [
      { cells: ["Fleiss' kappa", agreementCell(report.fleiss)] },
      { cells: ["Krippendorff's alpha (nominal)", agreementCell(report.alpha)] },
    ],
  };
}

export function pairTable(report: AgreementReport): Table {
  return {
    header: ['Readers', 'Items both read', "Cohen's kappa"],
    rows: report.pairs.map((p) => ({ cells: [`${p.readers[0]} – ${p.readers[1]}`, String(p.n), agreementCell(p.kappa)] })),
  };
}

export function perClassTable(report: AgreementReport): Table {
  return {
    header: [report.kind === 'single-label' ? 'Class (against the rest)' : 'Finding', "Fleiss' kappa", "Krippendorff's alpha", "Cohen's kappa, lowest pair"],
    rows: report.perClass.map((c) => {
      const defined = c.pairs.filter((p) => p.kappa.estimate !== null).sort((a, b) => a.kappa.estimate! - b.kappa.estimate!);
      const lowest: Cell = defined.length ? agreementCell(defined[0].kappa, defined[0].readers.join(' – ')) : 'n/a';
      return { cells: [c.name, agreementCell(c.fleiss), agreementCell(c.alpha), lowest] };
    }),
  };
}

/** Single-label: one square table per pair (rows the first reader). */
export function confusionTable(confusion: ReaderConfusion): Table {
  const [a, b] = confusion.readers;
  return {
    header: [`${a} ↓ / ${b} →`, ...confusion.categories],
    rows: confusion.categories.map((name, i) => ({ cells: [name, ...confusion.counts[i].map(String)] })),
  };
}

/** Multi-label: every finding's 2×2 tables on one line each. */
export function findingConfusionTable(report: AgreementReport): Table {
  return {
    header: ['Finding', 'Readers', 'Both positive', 'First only', 'Second only', 'Neither'],
    rows: report.confusion.map((c) => ({
      cells: [c.finding ?? '', c.readers.join(' – '), String(c.counts[1][1]), String(c.counts[1][0]), String(c.counts[0][1]), String(c.counts[0][0])],
    })),
  };
}

export function prevalenceTable(report: AgreementReport): Table {
  const percent = (share: number | undefined): string => (share === undefined ? 'n/a' : `${formatNumber(share * 100, 1)}%`);
  return {
    header: ['Reader', report.kind === 'single-label' ? 'Readings' : 'Images', ...report.categories],
    rows: report.prevalence.map((p) => ({ cells: [p.reader, String(p.n), ...report.categories.map((c) => percent(p.shares[c]))] })),
  };
}

/** Readers and the model: sensitivity / specificity per class against the consensus, and kappa with the model. */
export function modelVsReadersTable(report: AgreementReport): Table | null {
  const versus = report.modelVsReaders;
  if (!versus) return null;
  const classes = versus.model.map((p) => p.class);
  const points = (perClass: readonly OperatingPoint[]): Cell[] =>
    perClass.map((p) => ({ text: `${formatNumber(p.sensitivity)} / ${formatNumber(p.specificity)}`, detail: `${p.truePositives}/${p.positives}, ${p.trueNegatives}/${p.negatives}` }));
  return {
    header: ['Reader', 'Items', ...classes.map((c) => `${c} sens. / spec.`), `Cohen's kappa with ${versus.modelVersion}`],
    rows: [
      { cells: [`model ${versus.modelVersion}`, String(versus.n), ...points(versus.model), '—'] },
      ...versus.readers.map((r) => ({ cells: [r.reader, String(r.n), ...points(r.perClass), agreementCell(r.modelKappa.kappa, `n = ${r.modelKappa.n}`)] as [string, ...Cell[]] })),
    ],
  };
}

export function unsettledTable(report: AgreementReport): Table {
  const rows = report.consensus.unsettled.slice(0, LISTED_UNSETTLED).map((u) => ({
    cells: [u.finding ? `${u.item} (${u.finding})` : u.item, u.reason, Object.entries(u.readings).map(([reader, value]) => `${reader}: ${value}`).join(', ')] as [string, ...Cell[]],
  }));
  return { header: ['Item', 'Why unsettled', 'Readings'], rows };
}
