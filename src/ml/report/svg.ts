/**
 * Inline SVG plots of the report: the confusion heat map and the ROC / PR curves.
 *
 * Colours are SVG presentation attributes, not `style` attributes, so a nonce-only CSP allows them; text and
 * axes take their colour from the page's CSS classes so they follow the VS Code theme.
 */
import type { ClassEvaluation, Evaluation } from '../metrics';
import { formatNumber, UNDEFINED_TEXT } from './format';

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies; black is left out for dark themes. */
const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442'];
/** A dash pattern per class as well, so curves differ without colour too. */
const SERIES_DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2', '10 4'];
/** ColorBrewer Blues (9 classes), a sequential scale that prints in greyscale. */
const HEAT_SCALE = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];

export const CHAR_WIDTH = 7;
const MAX_LABEL_CHARS = 18;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Confusion matrix coloured by row-normalised share; every cell shows its count and its percentage of the row. */
export function confusionHeatMap(evaluation: Evaluation, id: string): string {
  const { classes, confusion } = evaluation;
  const k = classes.length;
  const cell = k <= 4 ? 84 : k <= 8 ? 64 : 44;
  const labelWidth = Math.max(...classes.map((c) => shorten(c).length)) * CHAR_WIDTH + 12;
  const left = 24 + labelWidth;
  const top = 36;
  const right = 90;
  // Column labels slant only when a name is wider than its column.
  const slanted = labelWidth - 12 > cell - 8;
  const width = left + k * cell + right;
  const height = top + k * cell + (slanted ? labelWidth * 0.7 + 16 : 28);
  const rowTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const parts: string[] = [];

  confusion.forEach((row, r) => {
    row.forEach((count, c) => {
      const share = rowTotals[r] === 0 ? null : count / rowTotals[r];
      const x = left + c * cell;
      const y = top + r * cell;
      const percent = share === null ? UNDEFINED_TEXT : `${(share * 100).toFixed(1)}%`;
      parts.push(
        `<g class="heat-cell${r === c ? ' diagonal' : ''}"><title>${escapeXml(`true ${classes[r]}, predicted ${classes[c]}: ${count} (${percent} of ${classes[r]})`)}</title>` +
          `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${heatColour(share)}"/>` +
          `<text x="${x + cell / 2}" y="${y + cell / 2 - 2}" class="cell-count ${textClass(share)}">${count}</text>` +
          `<text x="${x + cell / 2}" y="${y + cell / 2 + 14}" class="cell-share ${textClass(share)}">${percent}</text></g>`,
      );
    });
    parts.push(`<text x="${left - 8}" y="${top + r * cell + cell / 2 + 4}" class="tick-label end">${label(classes[r])}</text>`);
    parts.push(`<text x="${left + k * cell + 8}" y="${top + r * cell + cell / 2 + 4}" class="tick-label">n = ${rowTotals[r]}</text>`);
  });
  classes.forEach((name, c) => {
    const x = left + c * cell + cell / 2;
    const y = top + k * cell;
    parts.push(slanted
      ? `<text transform="translate(${x + 4} ${y + 10}) rotate(-40)" class="tick-label end">${label(name)}</text>`
      : `<text x="${x}" y="${y + 18}" class="tick-label middle">${label(name)}</text>`);
  });
  parts.push(
    `<rect x="${left}" y="${top}" width="${k * cell}" height="${k * cell}" class="frame"/>`,
    `<text x="${left + (k * cell) / 2}" y="${top - 14}" class="axis-title middle">Predicted class</text>`,
    `<text transform="translate(14 ${top + (k * cell) / 2}) rotate(-90)" class="axis-title middle">True class</text>`,
  );
  return svg(id, width, height, 'Confusion matrix: rows are true classes, columns predicted classes; colour is the share of the row', parts);
}

/** ROC curves of every class against the rest, with the chance diagonal and the AUC in the legend. */
export function rocPlot(evaluation: Evaluation, id: string): string {
  const series = evaluation.perClass.map((c) => {
    const roc = c.curves?.roc;
    const points = roc === undefined ? [] : zipPoints(roc.fpr, roc.tpr);
    return { name: c.class, points, summary: `AUC ${formatNumber(c.auc.estimate)}` };
  });
  return curvePlot(id, 'ROC curves, one class against the rest', 'False positive rate (1 − specificity)', 'True positive rate (sensitivity)', series, {
    diagonal: true,
    legendAt: 'bottom-right',
  });
}

/** A labelled point on a plot: a reader's operating point, or the model's. */
export interface Mark {
  name: string;
  x: number;
  y: number;
  /** The model's own point is drawn hollow. */
  hollow?: boolean;
}

/** One class's ROC curve with the readers' points on it (1 − specificity, sensitivity), as in the CheXNet paper. */
export function rocWithMarks(id: string, title: string, curve: Series, marks: readonly Mark[]): string {
  return curvePlot(id, title, 'False positive rate (1 − specificity)', 'True positive rate (sensitivity)', [curve], { diagonal: true, legendAt: 'bottom-right', marks });
}

/** Step-wise precision-recall curves; the area under each step curve is the AP in the legend. */
export function prPlot(evaluation: Evaluation, id: string): string {
  const series = evaluation.perClass.map((c) => ({
    name: c.class,
    points: prSteps(c),
    summary: `AP ${formatNumber(c.averagePrecision.estimate)}`,
  }));
  return curvePlot(id, 'Precision-recall curves, one class against the rest', 'Recall (sensitivity)', 'Precision', series, {
    diagonal: false,
    legendAt: 'bottom-left',
  });
}

/** Balanced accuracy and macro AUC against the labels each version was trained on (`xMax` labels at the right edge). */
export function learningCurvePlot(id: string, xMax: number, series: Series[]): string {
  return curvePlot(id, 'Learning curve: validation metrics against labels', 'Labels trained on', 'Validation metric', series, { diagonal: false, legendAt: 'bottom-right', xMax, markers: true });
}

/** Recall rises from R[i-1] to R[i] at precision P[i]: the curve whose area is scikit-learn's AP. */
function prSteps(c: ClassEvaluation): [number, number][] {
  const pr = c.curves?.pr;
  if (pr === undefined) return [];
  const points = zipPoints(pr.recall, pr.precision);
  if (points.length === 0) return [];
  const steps: [number, number][] = [[0, points[0][1]]];
  for (const [recall, precision] of points) {
    steps.push([recall, steps[steps.length - 1][1]], [recall, precision]);
  }
  return steps;
}

export interface Series {
  name: string;
  points: [number, number][];
  /** The area, e.g. `AUC 0.93`, shown in the legend. */
  summary: string;
}

const PLOT = { size: 300, left: 58, top: 16, right: 16, bottom: 50 };

function curvePlot(
  id: string,
  title: string,
  xTitle: string,
  yTitle: string,
  series: Series[],
  options: {
    diagonal: boolean;
    legendAt: 'bottom-right' | 'bottom-left';
    /** x runs 0 … 1 here; the ticks say 0 … xMax. */
    xMax?: number;
    /** A dot at every point. */
    markers?: boolean;
    /** Labelled points over the curves. */
    marks?: readonly Mark[];
  },
): string {
  const { size, left, top, right, bottom } = PLOT;
  const parts: string[] = [];
  const toX = (v: number): string => (left + v * size).toFixed(1);
  const toY = (v: number): string => (top + (1 - v) * size).toFixed(1);

  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(
      `<line x1="${toX(v)}" y1="${top}" x2="${toX(v)}" y2="${top + size}" class="grid"/>`,
      `<line x1="${left}" y1="${toY(v)}" x2="${left + size}" y2="${toY(v)}" class="grid"/>`,
      `<text x="${toX(v)}" y="${top + size + 16}" class="tick-label middle">${options.xMax === undefined ? v.toFixed(1) : Math.round(v * options.xMax).toLocaleString('en-US')}</text>`,
      `<text x="${left - 6}" y="${Number(toY(v)) + 4}" class="tick-label end">${v.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${size}" height="${size}" class="frame"/>`,
    `<text x="${left + size / 2}" y="${top + size + 38}" class="axis-title middle">${escapeXml(xTitle)}</text>`,
    `<text transform="translate(16 ${top + size / 2}) rotate(-90)" class="axis-title middle">${escapeXml(yTitle)}</text>`,
  );
  if (options.diagonal) {
    parts.push(`<line x1="${toX(0)}" y1="${toY(0)}" x2="${toX(1)}" y2="${toY(1)}" class="reference"><title>chance</title></line>`);
  }
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${toX(x)} ${toY(y)}`).join('');
    const dash = SERIES_DASHES[i % SERIES_DASHES.length];
    parts.push(
      `<path d="${d}" class="curve" stroke="${seriesColour(i)}"${dash ? ` stroke-dasharray="${dash}"` : ''}><title>${escapeXml(s.name)}</title></path>`,
    );
    if (options.markers) for (const [x, y] of s.points) parts.push(`<circle cx="${toX(x)}" cy="${toY(y)}" r="3" fill="${seriesColour(i)}"/>`);
  });
  const placed: Box[] = [];
  for (const mark of options.marks ?? []) {
    const [x, y] = [Number(toX(mark.x)), Number(toY(mark.y))];
    const text = shorten(mark.name);
    // Labels go left of points near the right edge, so they stay inside the frame; and clear of the labels placed.
    const leftward = mark.x > 0.7;
    const box = labelBox(text, leftward ? x - 7 - text.length * CHAR_WIDTH : x + 7, y - 6, placed);
    placed.push(box);
    parts.push(
      `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" class="${mark.hollow ? 'mark hollow' : 'mark'}"><title>${escapeXml(`${mark.name}: sensitivity ${formatNumber(mark.y)}, specificity ${formatNumber(1 - mark.x)}`)}</title></circle>`,
      `<text x="${box.x.toFixed(1)}" y="${box.baseline.toFixed(1)}" class="mark-label">${escapeXml(text)}</text>`,
    );
  }
  parts.push(legend(series, options.legendAt));
  return svg(id, left + size + right, top + size + bottom, title, parts);
}

interface Box {
  x: number;
  baseline: number;
  width: number;
}

const LABEL_HEIGHT = 12;

/** Where a label at (x, baseline) goes: moved up or down in steps until it overlaps none of `placed`. */
function labelBox(text: string, x: number, baseline: number, placed: readonly Box[]): Box {
  const width = text.length * CHAR_WIDTH;
  const overlaps = (b: number): boolean => placed.some((p) => x < p.x + p.width && p.x < x + width && Math.abs(p.baseline - b) < LABEL_HEIGHT);
  for (let step = 0; step < 12; step++) {
    const b = baseline + (step % 2 ? 1 : -1) * Math.ceil(step / 2) * LABEL_HEIGHT;
    if (!overlaps(b)) return { x, baseline: b, width };
  }
  return { x, baseline, width };
}

function legend(series: Series[], at: 'bottom-right' | 'bottom-left'): string {
  const { size, left, top } = PLOT;
  const rowHeight = 17;
  const texts = series.map((s) => `${shorten(s.name)} (${s.points.length === 0 ? 'no curve' : s.summary})`);
  const width = Math.min(size - 12, Math.max(...texts.map((t) => t.length)) * 6.4 + 40);
  const height = series.length * rowHeight + 8;
  const x = at === 'bottom-right' ? left + size - width - 6 : left + 6;
  const y = top + size - height - 6;
  const rows = texts.map((text, i) => {
    const rowY = y + 4 + i * rowHeight + rowHeight / 2;
    const dash = SERIES_DASHES[i % SERIES_DASHES.length];
    return (
      `<line x1="${x + 8}" y1="${rowY}" x2="${x + 30}" y2="${rowY}" class="curve" stroke="${seriesColour(i)}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
      `<text x="${x + 36}" y="${rowY + 4}" class="legend-label">${escapeXml(text)}</text>`
    );
  });
  return `<g class="legend"><rect x="${x}" y="${y}" width="${width}" height="${height}" class="legend-box"/>${rows.join('')}</g>`;
}

function svg(id: string, width: number, height: number, title: string, parts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" id="${id}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" ` +
    `width="${Math.ceil(width)}" height="${Math.ceil(height)}" role="img" aria-labelledby="${id}-title">` +
    `<title id="${id}-title">${escapeXml(title)}</title>${parts.join('')}</svg>`
  );
}

/** Points where both coordinates are defined (null marks an undefined rate). */
function zipPoints(xs: readonly (number | null)[], ys: readonly (number | null)[]): [number, number][] {
  const points: [number, number][] = [];
  xs.forEach((x, i) => {
    const y = ys[i];
    if (x !== null && y !== null) points.push([x, y]);
  });
  return points;
}

function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length];
}

/** Interpolated on the Blues scale; a row without items is grey. */
export function heatColour(share: number | null): string {
  if (share === null) return '#d0d0d0';
  const position = share * (HEAT_SCALE.length - 1);
  const i = Math.min(Math.floor(position), HEAT_SCALE.length - 2);
  const t = position - i;
  const [a, b] = [HEAT_SCALE[i], HEAT_SCALE[i + 1]].map(hexToRgb);
  return `rgb(${a.map((v, j) => Math.round(v + t * (b[j] - v))).join(',')})`;
}

function hexToRgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** Light text on the dark half of the scale keeps every cell label above 4.5:1 contrast. */
export function textClass(share: number | null): string {
  return share !== null && share > 0.55 ? 'on-dark' : 'on-light';
}

export function shorten(name: string): string {
  return name.length > MAX_LABEL_CHARS ? `${name.slice(0, MAX_LABEL_CHARS - 1)}…` : name;
}

/** A class label: shortened to fit, the full name in a tooltip. */
export function label(name: string): string {
  return `${escapeXml(shorten(name))}<title>${escapeXml(name)}</title>`;
}
