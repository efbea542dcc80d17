// The results file (`bench/results/latest.json`), its Markdown rendering, and the comparison with the previous run.
import type { MetricEstimate } from '../../src/ml/metrics';
import type { MetricValue } from './child';
import { figureSpec, meets } from './figures';
import type { Target } from './figures';
import { round } from './stats';

export interface Figure {
  key: string;
  benchmark: string;
  label: string;
  unit: string;
  /** Median over the runs (a boolean figure passes only when every run passed). */
  value: MetricValue;
  runs: MetricValue[];
  target?: Target;
  pass?: boolean | null;
}

export interface BenchmarkRecord {
  name: string;
  script: string;
  args: string[];
  runs: number;
  failures: string[];
  inputs: Record<string, unknown>;
  details?: Record<string, unknown>;
  notes: string[];
  wallSeconds: number[];
  peakRssMB: number[];
}

export interface Results {
  version: 1;
  date: string;
  quick: boolean;
  machine: { cores: number; cpu: string; memoryGB: number; loadAverageAtStart: number[]; platform: string };
  node: string;
  commit: string;
  wallSeconds: number;
  figures: Figure[];
  benchmarks: BenchmarkRecord[];
}

/** One row of the quality table (written by `bench/quality.ts`). */
export interface QualityRow {
  dataset: string;
  items: number;
  patients: number;
  classes: string[];
  accuracy: MetricEstimate;
  balancedAccuracy: MetricEstimate;
  auc: MetricEstimate;
  sensitivity: MetricEstimate;
  specificity: MetricEstimate;
}


/** One figure from the values of its runs: the median, or for pass/fail figures whether all passed. */
export function makeFigure(key: string, benchmark: string, runs: MetricValue[], median: (values: number[]) => number | null): Figure {
  const spec = figureSpec(key);
  const defined = runs.filter((v): v is number | boolean => v !== null);
  const value: MetricValue = defined.length === 0 ? null : typeof defined[0] === 'boolean' ? defined.every(Boolean) : median(defined.map(Number));
  const figure: Figure = { key, benchmark, label: spec.label, unit: spec.unit, value, runs };
  if (spec.target) {
    figure.target = spec.target;
    figure.pass = meets(value, spec.target);
  }
  return figure;
}

export function show(value: MetricValue): string {
  if (value === null) return 'not measured';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(round(value));
}

export function showTarget(target: Target): string {
  const value = typeof target.value === 'boolean' ? (target.value ? 'yes' : 'no') : String(target.value);
  return `${target.op === '==' ? '' : `${target.op} `}${value}${target.note ? ` (${target.note})` : ''}`;
}

const percent = (e: MetricEstimate): string =>
  e.estimate === null ? '—' : `${(100 * e.estimate).toFixed(1)}% [${e.low === null ? '?' : (100 * e.low).toFixed(1)}, ${e.high === null ? '?' : (100 * e.high).toFixed(1)}]`;

/** The quality table the README quotes. */
export function qualityTable(rows: readonly QualityRow[]): string {
  const lines = [
    '| dataset | images | patient groups | classes | accuracy | balanced accuracy | AUC (macro, one-vs-rest) | sensitivity (COVID) | specificity (COVID) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      `| ${r.dataset} | ${r.items} | ${r.patients} | ${r.classes.join(', ')} | ${percent(r.accuracy)} | ${percent(r.balancedAccuracy)} | ${percent(r.auc)} | ${percent(r.sensitivity)} | ${percent(r.specificity)} |`,
    ),
  ];
  return lines.join('\n');
}

export function renderMarkdown(results: Results, regressions: readonly string[]): string {
  const m = results.machine;
  const out: string[] = [
    `# Benchmarks${results.quick ? ' (quick)' : ''}`,
    '',
    `${results.date} · commit ${results.commit} · Node ${results.node} · ${m.cores} cores (${m.cpu}), ${m.memoryGB} GB · load average at start ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' / ')} · total ${Math.round(results.wallSeconds)} s`,
    '',
    'Each figure is the median of the runs listed; a pass/fail figure passes only if every run passed. The machine is shared, so',
    'load from other work slows some runs down.',
    '',
    '## Targets',
    '',
    '| figure | value | unit | target | pass |',
    '|---|---|---|---|---|',
  ];
  for (const f of results.figures.filter((f) => f.target)) {
    out.push(`| ${f.label} | ${show(f.value)} | ${f.unit} | ${showTarget(f.target!)} | ${f.pass === null ? '—' : f.pass ? 'pass' : '**FAIL**'} |`);
  }
  const quality = results.benchmarks.find((b) => b.name === 'quality')?.details?.quality as QualityRow[] | undefined;
  if (quality) {
    const q = results.benchmarks.find((b) => b.name === 'quality')!.inputs as { folds?: number; bootstrap?: { iterations?: number } };
    out.push(
      '',
      '## Quality',
      '',
      `Out-of-fold predictions of ${q.folds ?? 5}-fold cross-validation grouped by patient (a patient's images are never on both sides;`,
      'duplicate images are joined to one group; `kermany:IM`, a file-name prefix shared by hundreds of children, is not taken as a patient),',
      `stratified by class; 95% intervals from ${q.bootstrap?.iterations ?? '?'} bootstrap resamples of whole groups. The MobileNetV2 COVID-19`,
      'paper reported 95.8% and 100% plain accuracy on datasets shaped like paper-A and paper-B, without patient grouping.',
      'Classes and image sources are entangled in these data (see the audit), so these figures also measure source shortcuts.',
      '',
      qualityTable(quality),
    );
  }
  out.push('', '## All figures', '', '| benchmark | figure | median | unit | runs |', '|---|---|---|---|---|');
  for (const f of results.figures) out.push(`| ${f.benchmark} | ${f.label} | ${show(f.value)} | ${f.unit} | ${f.runs.map(show).join(', ')} |`);
  out.push('', '## Inputs', '');
  for (const b of results.benchmarks) {
    out.push(`- **${b.name}** (\`node out/bench/${b.script}.js ${b.args.join(' ')}\`, ${b.runs} run${b.runs === 1 ? '' : 's'}, ${b.wallSeconds.map((s) => Math.round(s)).join(' / ')} s): ${JSON.stringify(b.inputs)}`);
    for (const note of b.notes) out.push(`  - note: ${note}`);
    for (const failure of b.failures) out.push(`  - **failed**: ${failure}`);
  }
  out.push('', '## Compared with the previous run', '');
  if (regressions.length === 0) out.push('Nothing got slower or worse by more than 10% (or there was no previous run).');
  else for (const line of regressions) out.push(`- ${line}`);
  return `${out.join('\n')}\n`;
}

/** Figures that got worse by more than `threshold` (a fraction) against `previous`, in words. */
export function regressions(current: Results, previous: Results | null, threshold = 0.1): string[] {
  if (!previous) return [];
  const before = new Map(previous.figures.map((f) => [f.key, f]));
  const out: string[] = [];
  for (const f of current.figures) {
    const old = before.get(f.key);
    if (!old || old.value === null || f.value === null) continue;
    const spec = figureSpec(f.key);
    if (spec.better === 'true') {
      if (old.value === true && f.value === false) out.push(`${f.label}: was yes, now no`);
      continue;
    }
    const a = Number(old.value);
    const b = Number(f.value);
    if (a === 0) continue;
    const change = (b - a) / Math.abs(a);
    const worse = spec.better === 'higher' ? -change : change;
    if (worse > threshold) {
      out.push(`${f.label}: ${show(old.value)} → ${show(f.value)} ${f.unit} (${(100 * worse).toFixed(0)}% ${spec.better === 'higher' ? 'lower' : 'higher'})`);
    }
  }
  if (out.length && previous.quick !== current.quick) out.unshift(`(the previous run was ${previous.quick ? 'quick' : 'full'}, this one ${current.quick ? 'quick' : 'full'}: inputs differ)`);
  return out;
}
