/**
 * The per-finding HTML report of a multi-label version, in the style of the CheXNet / CheXpert tables: one row
 * per finding with AUC and AP intervals and the rates at its threshold, the change against the parent, the
 * findings left out, a co-occurrence heat map and the training labels. Built on the single-label page helpers,
 * so the page has the same style, CSP and theme colours.
 */
import { DEFAULT_BOOTSTRAP_ALPHA } from '../metrics/bootstrap';
import { formatDelta, formatNumber, formatThreshold, UNDEFINED_TEXT } from '../report/format';
import { htmlPage, section, table, type HtmlOptions } from '../report/html';
// The confusion heat map's scale, contrast and labels, so both maps read alike.
import { CHAR_WIDTH, escapeXml, heatColour, label, shorten, textClass } from '../report/svg';
import { estimateCell, type Cell, type Table } from '../report/tables';
import type { FindingEvaluation, MultiLabelEvaluation } from './findingMetrics';
import { uncertaintyOf } from './config';
import { MULTILABEL_VERSION_FORMAT, type MultiLabelVersionInfo } from './versionStore';

export interface MultiLabelReportInput {
  /** The version reported; its `metrics` are on its validation side. */
  info: MultiLabelVersionInfo;
  /** The parent version's info, when it exists, for the change column. */
  parent?: MultiLabelVersionInfo;
  /** Dataset folder name, for the title. */
  datasetName: string;
}


const THRESHOLD_NOTE =
  'An item is called positive when its probability is at least the finding\'s threshold. Youden thresholds ' +
  'are chosen on the same validation items, so their rates are optimistic: confirm them on held-out data.';

export function renderMultiLabelHtml(input: MultiLabelReportInput, options: HtmlOptions = {}): string {
  const { info, parent, datasetName } = input;
  const { metrics } = info;
  const sections = [section('Findings', `<p>${escapeXml(THRESHOLD_NOTE)}</p>${table(findingsTable(metrics, parent))}`)];
  if (info.leftOut.length > 0) {
    sections.push(section('Left out', table({
      header: ['Finding', 'Positives', 'Reason'],
      rows: info.leftOut.map((l) => ({ cells: [l.finding, String(l.positives), l.reason] })),
    })));
  }
  sections.push(
    section(
      'Co-occurrence',
      `<figure>${cooccurrenceHeatMap(metrics.cooccurrence, 'cooccurrence')}<figcaption>Validation items labelled positive for ` +
        'both findings; the diagonal counts the positives of each finding. The colour is the count relative to the largest.</figcaption></figure>',
    ),
    section('Training labels per finding', table({
      header: ['Finding', 'Positives', 'Negatives', 'Ignored (uncertainty policy)', 'Uncertain labels trained as'],
      rows: Object.entries(info.trainedOn.perFinding).map(([finding, c]) => ({
        cells: [finding, String(c.positives), String(c.negatives), String(c.ignored), uncertaintyOf(info.trainConfig, finding)],
      })),
    })),
  );
  return htmlPage(
    {
      title: `Findings report v${info.modelVersion} · ${datasetName}`,
      facts: facts(info),
      body: sections.join('\n'),
      footer: `Multi-label report format version ${MULTILABEL_VERSION_FORMAT} · made by xray-curator`,
    },
    options,
  );
}

function facts(info: MultiLabelVersionInfo): [string, string][] {
  const { trainedOn, metrics } = info;
  const split = trainedOn.split === 'iterative' ? 'iterative stratification' : "the dataset's split";
  const mean = estimateCell(metrics.meanAuc);
  const bootstrap = metrics.bootstrap;
  return [
    ['Model version', `v${info.modelVersion}`],
    ['Parent', info.parent === null ? 'none' : `v${info.parent}`],
    ['Created', info.createdAt],
    ['Trained on', `${trainedOn.train} training / ${trainedOn.validation} validation items, ${split}, ${trainedOn.groupedBy === null ? 'not grouped' : `grouped by ${trainedOn.groupedBy}`}`],
    ['Threshold method', info.thresholdMethod === 'youden' ? "Youden's J on the validation side" : 'fixed'],
    ['Mean AUC', mean.interval === undefined ? mean.text : `${mean.text} (${mean.interval})`],
    [
      'Bootstrap',
      bootstrap === null
        ? 'point estimates only (no bootstrap)'
        : `${Math.round((1 - DEFAULT_BOOTSTRAP_ALPHA) * 100)}% percentile intervals, ${bootstrap.iterations} resamples of ${bootstrap.unit === 'patient' ? 'patients' : 'images'} (seed ${bootstrap.seed})`,
    ],
  ];
}

function findingsTable(metrics: MultiLabelEvaluation, parent: MultiLabelVersionInfo | undefined): Table {
  const delta = (current: number | null, previous: number | null): string => formatDelta(current === null || previous === null ? null : current - previous);
  const change = (f: FindingEvaluation, previous: MultiLabelVersionInfo): Cell => {
    const before = previous.metrics.findings.find((p) => p.finding === f.finding);
    return before === undefined ? 'new' : delta(f.auc.estimate, before.auc.estimate);
  };
  const rows = metrics.findings.map((f) => ({
    cells: [
      f.finding,
      String(f.support),
      f.prevalence === null ? UNDEFINED_TEXT : { text: `${(f.prevalence * 100).toFixed(1)}%`, detail: `${f.positives} positive` },
      estimateCell(f.auc),
      estimateCell(f.averagePrecision),
      // Here null means no threshold could be chosen, not formatThreshold's "none positive".
      f.threshold === null ? UNDEFINED_TEXT : { text: formatThreshold(f.threshold), detail: f.thresholdMethod === 'youden' ? 'Youden' : 'fixed' },
      ...[f.sensitivity, f.specificity, f.ppv, f.npv, f.f1].map((v) => formatNumber(v)),
      ...(parent ? [change(f, parent)] : []),
    ] as [string, ...Cell[]],
  }));
  // AP to F1 are per finding only.
  const blanks = new Array<string>(7).fill('');
  const meanChange = parent ? [delta(metrics.meanAuc.estimate, parent.metrics.meanAuc.estimate)] : [];
  rows.push({ cells: ['Mean AUC', '', '', estimateCell(metrics.meanAuc), ...blanks, ...meanChange] });
  return {
    header: ['Finding', 'Support', 'Prevalence', 'ROC AUC', 'AP', 'Threshold', 'Sensitivity', 'Specificity', 'PPV', 'NPV', 'F1', ...(parent ? [`Δ AUC vs v${parent.modelVersion}`] : [])],
    rows,
  };
}

/** Findings × findings, shaded by count relative to the largest; every cell shows its count, its pair on hover. */
function cooccurrenceHeatMap(co: MultiLabelEvaluation['cooccurrence'], id: string): string {
  const { findings, counts } = co;
  const k = findings.length;
  const cell = k <= 4 ? 72 : k <= 8 ? 56 : 40;
  const labelWidth = Math.max(0, ...findings.map((f) => shorten(f).length)) * CHAR_WIDTH + 12;
  const left = 24 + labelWidth;
  const top = 16;
  const width = left + k * cell + 16;
  // Column labels slant down-left from under their column, so they need about 0.7 of their length below.
  const height = top + k * cell + labelWidth * 0.7 + 16;
  const max = Math.max(0, ...counts.flat());
  const parts: string[] = [];
  counts.forEach((row, r) => {
    row.forEach((count, c) => {
      const share = max === 0 ? 0 : count / max;
      const x = left + c * cell;
      const y = top + r * cell;
      const hover = r === c ? `${findings[r]}: ${count} positive` : `${findings[r]} and ${findings[c]}: ${count} positive for both`;
      parts.push(
        `<g class="heat-cell${r === c ? ' diagonal' : ''}"><title>${escapeXml(hover)}</title>` +
          `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${heatColour(share)}"/>` +
          `<text x="${x + cell / 2}" y="${y + cell / 2 + 5}" class="cell-count ${textClass(share)}">${count}</text></g>`,
      );
    });
    parts.push(`<text x="${left - 8}" y="${top + r * cell + cell / 2 + 4}" class="tick-label end">${label(findings[r])}</text>`);
  });
  findings.forEach((name, c) => {
    parts.push(`<text transform="translate(${left + c * cell + cell / 2 + 4} ${top + k * cell + 10}) rotate(-40)" class="tick-label end">${label(name)}</text>`);
  });
  parts.push(`<rect x="${left}" y="${top}" width="${k * cell}" height="${k * cell}" class="frame"/>`);
  const title = 'Co-occurrence of findings: items positive for both the row and the column finding';
  const [w, h] = [Math.ceil(width), Math.ceil(height)];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" id="${id}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" ` +
    `role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>${parts.join('')}</svg>`
  );
}
