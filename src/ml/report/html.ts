/**
 * The report as one self-contained HTML page: inline SVG plots, one `<style>` allowed by a nonce, no scripts,
 * no network. The same page works standalone and in a VS Code webview (pass the webview's nonce and
 * `cspSource`); colours come from the `--vscode-*` theme variables with light-theme fallbacks.
 */
import { randomBytes } from 'node:crypto';
import { describeBootstrap } from './format';
import { confusionHeatMap, escapeXml, learningCurvePlot, prPlot, rocPlot } from './svg';
import { LEARNING_CURVE_NOTE, learningCurveSeries, learningCurveTable } from './learningCurve';
import {
  AUDIT_NOTE,
  CHANGE_NOTE,
  classChangeTable,
  classTable,
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

export interface HtmlOptions {
  /** Nonce of the page's `<style>`. Default: a fresh random one. */
  nonce?: string;
  /** A webview's `cspSource`, added to `style-src`. */
  cspSource?: string;
}

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const { evaluation, comparison } = report;
  const sections: string[] = [
    `<div class="columns">${section('Summary', table(headlineTable(evaluation), 'narrow'))}${section(
      'Confusion matrix',
      `<figure>${confusionHeatMap(evaluation, 'confusion')}<figcaption>Rows are true classes, columns predicted ` +
        'classes (highest probability). Each cell shows the count and its share of the true class; the colour is the share.</figcaption></figure>',
    )}</div>`,
    section('Per class (one against the rest)', table(classTable(evaluation))),
    section(
      'ROC and precision-recall curves',
      `<div class="figures"><figure>${rocPlot(evaluation, 'roc')}<figcaption>ROC curves; the dashed diagonal is chance.</figcaption></figure>` +
        `<figure>${prPlot(evaluation, 'pr')}<figcaption>Precision-recall curves (step-wise; the area is the AP).</figcaption></figure></div>`,
    ),
    section('Operating points', `<p>${escapeXml(THRESHOLD_NOTE)}</p>${table(operatingPointTable(report))}`),
  ];
  if (report.sources !== null) {
    sections.push(section('Per source', `<p>${escapeXml(SOURCE_NOTE)}</p>${table(sourceTable(report))}`));
  }
  if (comparison !== null) {
    const notes = comparison.notes.map((n) => `<p class="note">${escapeXml(n)}</p>`).join('');
    const worse = comparison.worse.length === 0
      ? '<p>No metric got worse.</p>'
      : `<p class="worse-summary">Worse (${comparison.worse.length}):</p><ul>${comparison.worse.map((w) => `<li>${escapeXml(w)}</li>`).join('')}</ul>`;
    sections.push(section(
      `Change against ${comparison.previousModel.version}`,
      `${notes}${worse}<p>${escapeXml(CHANGE_NOTE)}</p>${table(headlineChangeTable(comparison.headline), 'narrow')}${table(classChangeTable(report, comparison.perClass))}`,
    ));
  }
  if (report.learningCurve?.length) {
    const { xMax, series } = learningCurveSeries(report.learningCurve);
    sections.push(section('Learning curve', `<p>${escapeXml(LEARNING_CURVE_NOTE)}</p><div class="figures"><figure>${learningCurvePlot('learning', xMax, series)}</figure></div>${table(learningCurveTable(report.learningCurve))}`));
  }
  if (report.audit !== null) {
    const { audit } = report;
    const findings = audit.findings.length ? `<ul>${audit.findings.map((f) => `<li>${escapeXml(f)}</li>`).join('')}</ul>` : '<p>No source shortcut found.</p>';
    sections.push(section('Data audit', `<p>${escapeXml(audit.summary)} (${escapeXml(audit.file)}).</p>${findings}<p>${escapeXml(AUDIT_NOTE)}</p>`));
  }
  if (evaluation.warnings.length > 0) {
    sections.push(section('Warnings', `<ul class="warnings">${evaluation.warnings.map((w) => `<li>${escapeXml(w)}</li>`).join('')}</ul>`));
  }

  const footer = `Report format version ${report.version} · ${describeBootstrap(evaluation.bootstrap)} · made by xray-curator`;
  return htmlPage({ title: report.title, facts: reportFacts(report), body: sections.join('\n'), footer }, options);
}

/** A self-contained page (the report's style and CSP) around `body`, which must already be HTML; the rest is text. */
export function htmlPage(page: { title: string; facts: readonly [string, string][]; body: string; footer: string }, options: HtmlOptions = {}): string {
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  const styleSources = [`'nonce-${nonce}'`, ...(options.cspSource ? [options.cspSource] : [])].join(' ');
  const csp = `default-src 'none'; style-src ${styleSources}; base-uri 'none'; form-action 'none'`;
  const facts = page.facts.map(([label, value]) => `<dt>${escapeXml(label)}</dt><dd>${escapeXml(value)}</dd>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeXml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeXml(page.title)}</title>
<style nonce="${escapeXml(nonce)}">${STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeXml(page.title)}</h1><dl class="facts">${facts}</dl></header>
${page.body}
<footer>${escapeXml(page.footer)}</footer>
</main>
</body>
</html>
`;
}

export function section(title: string, body: string): string {
  return `<section><h2>${escapeXml(title)}</h2>${body}</section>`;
}

export function table(t: Table, className = ''): string {
  const head = t.header.map((h) => `<th scope="col">${escapeXml(h)}</th>`).join('');
  const rows = t.rows.map((r) => {
    const [name, ...values] = r.cells;
    const cells = [`<th scope="row">${escapeXml(name)}</th>`, ...values.map(cellHtml)];
    if (r.note !== undefined) cells.push(`<td class="row-note" colspan="${t.header.length - r.cells.length}">${escapeXml(r.note)}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<div class="table-wrap"><table${className ? ` class="${className}"` : ''}><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** A metric cell: the value, then its interval and detail on small lines of their own. */
function cellHtml(cell: Cell): string {
  if (typeof cell === 'string') return `<td>${escapeXml(cell)}</td>`;
  const interval = cell.interval === undefined ? '' : `<span class="ci">${escapeXml(cell.interval)}</span>`;
  const detail = cell.detail === undefined ? '' : `<span class="detail">${escapeXml(cell.detail)}</span>`;
  return `<td${cell.worse ? ' class="worse"' : ''}>${escapeXml(cell.text)}${interval}${detail}</td>`;
}

const STYLE = `
:root {
  --fg: var(--vscode-foreground, #1f2328);
  --bg: var(--vscode-editor-background, #ffffff);
  --muted: var(--vscode-descriptionForeground, #59636e);
  --rule: var(--vscode-panel-border, #d1d9e0);
  --grid: var(--vscode-editorIndentGuide-background, #e6e9ed);
  --stripe: var(--vscode-list-hoverBackground, #f6f8fa);
  --bad: var(--vscode-errorForeground, #b42318);
  --warn-bg: var(--vscode-inputValidation-warningBackground, #fff8e6);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: var(--vscode-foreground, #e6edf3);
    --bg: var(--vscode-editor-background, #0d1117);
    --muted: var(--vscode-descriptionForeground, #9198a1);
    --rule: var(--vscode-panel-border, #3d444d);
    --grid: var(--vscode-editorIndentGuide-background, #262c36);
    --stripe: var(--vscode-list-hoverBackground, #151b23);
    --bad: var(--vscode-errorForeground, #ff7b72);
    --warn-bg: var(--vscode-inputValidation-warningBackground, #2d2208);
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif); }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 40px; }
h1 { font-size: 1.6em; font-weight: 600; margin: 0 0 12px; }
h2 { font-size: 1.15em; font-weight: 600; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
p { margin: 6px 0 10px; max-width: 80ch; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; color: var(--muted); }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; color: var(--fg); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 4px 0 8px; }
table.narrow { min-width: 320px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
thead th { border-bottom: 2px solid var(--fg); font-weight: 600; vertical-align: bottom; }
tbody th { text-align: left; font-weight: 500; }
tbody tr:nth-child(even) { background: var(--stripe); }
td.worse { color: var(--bad); font-weight: 600; }
td .ci, td .detail { display: block; font-size: 0.8em; color: var(--muted); line-height: 1.3; }
td.row-note { text-align: left; color: var(--muted); font-style: italic; }
thead th:first-child { text-align: left; }
.columns { display: flex; flex-wrap: wrap; gap: 0 48px; align-items: flex-start; }
.columns > section { flex: 0 1 auto; }
.figures { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 8px 0; }
figcaption { color: var(--muted); font-size: 0.9em; max-width: 420px; }
svg.plot { display: block; max-width: 100%; height: auto; font-size: 11px; }
svg.plot text { fill: var(--fg); }
svg.plot .tick-label { fill: var(--muted); }
svg.plot .axis-title { font-size: 12px; font-weight: 600; }
svg.plot .middle { text-anchor: middle; }
svg.plot .end { text-anchor: end; }
svg.plot .frame { fill: none; stroke: var(--muted); stroke-width: 1; }
svg.plot .grid { stroke: var(--grid); stroke-width: 1; }
svg.plot .reference { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 4 4; }
svg.plot .curve { fill: none; stroke-width: 2; stroke-linejoin: round; }
svg.plot .legend-box { fill: var(--bg); stroke: var(--rule); opacity: 0.92; }
svg.plot .legend-label { font-size: 11px; }
svg.plot .mark { fill: var(--fg); stroke: var(--bg); stroke-width: 1.5; }
svg.plot .mark.hollow { fill: var(--bg); stroke: var(--fg); stroke-width: 2; }
svg.plot .mark-label { font-size: 11px; font-weight: 600; }
svg.plot .heat-cell rect { stroke: var(--bg); stroke-width: 1; }
svg.plot .cell-count { text-anchor: middle; font-size: 15px; font-weight: 600; }
svg.plot .cell-share { text-anchor: middle; font-size: 11px; }
svg.plot text.on-light { fill: #111; }
svg.plot text.on-dark { fill: #fff; }
.note { padding: 6px 10px; background: var(--warn-bg); border-left: 3px solid var(--bad); }
.worse-summary { color: var(--bad); font-weight: 600; margin-bottom: 2px; }
.warnings { color: var(--muted); }
footer { margin-top: 36px; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.85em; }
@media print { main { max-width: none; padding: 0; } section { break-inside: avoid; } }
`;
