// The README's "Measured" section, made from the committed benchmark record (docs/benchmarks.json) and never typed:
// `npm run bench` (or `npm run docs:figures` from the record alone) writes it between the markers, and a unit test
// fails when the README and the record disagree.
import * as fs from 'node:fs';
import { qualityTable, show, showTarget } from './report';
import type { QualityRow, Results } from './report';

export const START = '<!-- figures:start (made by `npm run bench` or `npm run docs:figures` from docs/benchmarks.json; do not edit) -->';
export const END = '<!-- figures:end -->';

/** How far repeated runs of one figure spread (max − min over the median), as the record's own noise estimate. */
function spread(results: Results): string {
  const spreads = results.figures.flatMap((f) => {
    const runs = f.runs.filter((v): v is number => typeof v === 'number');
    if (runs.length < 2 || typeof f.value !== 'number' || f.value === 0) return [];
    return [(Math.max(...runs) - Math.min(...runs)) / Math.abs(f.value)];
  });
  if (spreads.length === 0) return 'No figure was run more than once in this record, so its noise is not measured; on this shared machine earlier runs moved by 10–100% with load.';
  const sorted = spreads.sort((a, b) => a - b);
  const pct = (x: number): string => `${Math.round(100 * x)}%`;
  return `Repeated runs of a figure spread by ${pct(sorted[Math.floor(sorted.length / 2)])} (median over ${sorted.length} figures; at most ${pct(sorted.at(-1)!)}).`;
}

/** The section's Markdown for a record. */
export function renderReadmeFigures(results: Results): string {
  const m = results.machine;
  const lines = [
    `Measured by \`npm run bench${results.quick ? ' -- --quick' : ''}\` on ${results.date.slice(0, 10)} at commit \`${results.commit}\`: ${m.cores} cores (${m.cpu}), ` +
      `${m.memoryGB} GB, load average ${m.loadAverageAtStart.join(' / ')} at the start${results.quick ? '; quick mode (smaller inputs, fewer runs)' : ''}. ` +
      `${spread(results)} Every figure with its inputs is in [docs/benchmarks.md](docs/benchmarks.md); a FAIL is a target not met.`,
    '',
    '| figure | value | target | |',
    '|---|---|---|---|',
    ...results.figures
      .filter((f) => f.target)
      .map((f) => `| ${f.label} | ${show(f.value)}${f.unit && typeof f.value === 'number' ? ` ${f.unit}` : ''} | ${showTarget(f.target!)} | ${f.pass === null || f.pass === undefined ? 'not measured' : f.pass ? 'pass' : '**FAIL**'} |`),
  ];
  const quality = results.benchmarks.find((b) => b.name === 'quality')?.details?.quality as QualityRow[] | undefined;
  if (quality) {
    lines.push(
      '',
      'Quality: out-of-fold predictions of 5-fold cross-validation grouped by patient (duplicates joined to one group), stratified by class,',
      '95% intervals from bootstrapping whole groups. The MobileNetV2 COVID-19 paper reported 95.8% (dataset A) and 100% (dataset B) plain',
      'accuracy without grouping by patient. Classes and image sources are entangled in these data (the audit shows it), so these figures',
      'also measure source shortcuts.',
      '',
      qualityTable(quality),
    );
  }
  return `${START}\n${lines.join('\n')}\n${END}`;
}

/** The README with its section replaced by the one made from `results`. */
export function withFigures(readme: string, results: Results): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md has no figures section (its start and end markers)');
  return readme.slice(0, start) + renderReadmeFigures(results) + readme.slice(end + END.length);
}

export function readRecord(file: string): Results {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
  if (parsed.version !== 1) throw new Error(`${file}: benchmark record version ${String(parsed.version)} is not supported`);
  return parsed;
}
