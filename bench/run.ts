// `npm run bench` (add `-- --quick` for the few-minute subset): runs every benchmark in its own child process
// (a crash or a leak stays there, and peak memory is per benchmark), takes the median of each figure over the
// runs, writes `bench/results/latest.json` and `latest.md` (the previous `latest.json` becomes `previous.json`) and,
// for a whole-suite run, the committed record `docs/benchmarks.json` and `.md` and the README's figures from it,
// and prints the table and what got more than 10% slower or worse than the previous run.
// Options: --quick, --only scan,journal,... (names below), --work DIR (working folder, default under the temp dir).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultWorkDir, parseBenchArgs } from './lib/child';
import type { BenchLine, MetricValue } from './lib/child';
import { withFigures } from './lib/readmeFigures';
import { makeFigure, regressions, renderMarkdown } from './lib/report';
import type { BenchmarkRecord, Figure, Results } from './lib/report';
import { median } from './lib/stats';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');
/** A child that takes longer than this is stopped and reported as failed. */
const CHILD_TIMEOUT_MS = 20 * 60_000;

interface Planned {
  /** Label in the results (the script name, or script + variant). */
  name: string;
  script: string;
  args: string[];
  runs: number;
}

/** The suite. Quick mode: smaller inputs and fewer runs, but every figure. */
function plan(quick: boolean): Planned[] {
  const runs = (full: number, short: number): number => (quick ? short : full);
  const mode = quick ? ['--quick'] : [];
  return [
    { name: 'scan', script: 'scan', args: [...mode, '--count', '50000'], runs: runs(3, 1) },
    { name: 'thumbnails', script: 'thumbnails', args: mode, runs: runs(3, 1) },
    { name: 'dicom', script: 'dicom', args: mode, runs: runs(3, 1) },
    { name: 'journal', script: 'journal', args: mode, runs: runs(3, 3) },
    { name: 'embed-wasm', script: 'embed', args: [...mode, '--engine', 'wasm', '--images', quick ? '300' : '1502'], runs: runs(3, 1) },
    // The pure-JS backend is an order of magnitude slower: fewer images, same comparison.
    { name: 'embed-cpu', script: 'embed', args: [...mode, '--engine', 'cpu', '--images', quick ? '32' : '150'], runs: 1 },
    { name: 'embed-tensorflow', script: 'embed', args: [...mode, '--engine', 'tensorflow', '--images', quick ? '300' : '1502'], runs: runs(3, 1) },
    { name: 'head', script: 'head', args: mode, runs: runs(3, 1) },
    { name: 'fineTune', script: 'fineTune', args: mode, runs: runs(3, 1) },
    { name: 'audit', script: 'audit', args: mode, runs: 1 },
    { name: 'labelIssuesHeldOut', script: 'labelIssuesHeldOut', args: mode, runs: 1 },
    { name: 'activeLearning', script: 'activeLearning', args: mode, runs: 1 },
    { name: 'multilabel', script: 'multilabel', args: mode, runs: runs(3, 1) },
    // Deterministic (seeded folds, seeded training): one run is the figure.
    { name: 'quality', script: 'quality', args: mode, runs: 1 },
    { name: 'gallery', script: 'gallery', args: mode, runs: runs(3, 1) },
    { name: 'similarity', script: 'similarity', args: mode, runs: 1 },
    { name: 'regionSearch', script: 'regionSearch', args: mode, runs: 1 },
    { name: 'mapDraw', script: 'mapDraw', args: mode, runs: 1 },
    // The real editor (code-server + Chromium) on hard-linked folders of the sizes users hold: minutes each, one run.
    { name: 'editor-50000', script: 'editor', args: [...mode, '--items', '50000'], runs: 1 },
    { name: 'editor-400000', script: 'editor', args: [...mode, '--items', '400000'], runs: 1 },
    { name: 'editor-nih', script: 'editorFindings', args: mode, runs: 1 },
  ];
}

/** Runs one child; resolves with its JSON line, or rejects with the end of its stderr. */
function runChild(script: string, args: readonly string[], work: string): Promise<BenchLine> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, `${script}.js`), ...args, '--work', work], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
      if (code === 0 && line) return resolve(JSON.parse(line) as BenchLine);
      reject(new Error(`exit ${code ?? signal}: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

function readPrevious(file: string): Results | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
    return parsed.version === 1 ? parsed : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const only = args.options.get('only')?.split(',');
  const work = args.options.get('work') ?? defaultWorkDir();
  fs.mkdirSync(work, { recursive: true });
  const started = performance.now();
  const loadAverageAtStart = os.loadavg();
  const figures: Figure[] = [];
  const benchmarks: BenchmarkRecord[] = [];

  for (const step of plan(args.quick).filter((p) => !only || only.includes(p.name) || only.includes(p.script))) {
    const record: BenchmarkRecord = { name: step.name, script: step.script, args: step.args, runs: 0, failures: [], inputs: {}, notes: [], wallSeconds: [], peakRssMB: [] };
    const values = new Map<string, MetricValue[]>();
    for (let run = 1; run <= step.runs; run++) {
      process.stderr.write(`\n== ${step.name} (run ${run}/${step.runs}) ==\n`);
      try {
        const line = await runChild(step.script, step.args, work);
        record.runs++;
        record.inputs = line.inputs;
        record.details = line.details;
        record.notes = line.notes ?? [];
        record.wallSeconds.push(line.wallMs / 1000);
        record.peakRssMB.push(line.peakRssMB);
        for (const [key, value] of Object.entries({ ...line.metrics, [`peakRssMB.${step.name}`]: line.peakRssMB })) {
          values.set(key, [...(values.get(key) ?? []), value]);
        }
      } catch (error) {
        record.failures.push(`run ${run}: ${(error as Error).message}`);
        process.stderr.write(`!! ${step.name} run ${run} failed: ${(error as Error).message}\n`);
      }
    }
    for (const [key, runs] of values) figures.push(makeFigure(key, step.name, runs, median));
    benchmarks.push(record);
  }

  const results: Results = {
    version: 1,
    date: new Date().toISOString(),
    quick: args.quick,
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      loadAverageAtStart: loadAverageAtStart.map((l) => Number(l.toFixed(2))),
      platform: `${os.platform()} ${os.release()}`,
    },
    node: process.version,
    commit: gitCommit(),
    wallSeconds: (performance.now() - started) / 1000,
    figures,
    benchmarks,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const latest = path.join(RESULTS_DIR, 'latest.json');
  const previous = readPrevious(latest);
  if (previous) fs.copyFileSync(latest, path.join(RESULTS_DIR, 'previous.json'));
  const worse = regressions(results, previous);
  const markdown = renderMarkdown(results, worse);
  fs.writeFileSync(latest, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), markdown);
  // The committed record, and the README's figures made from it: one command rebuilds every figure the README shows.
  // A partial run (--only) is not a record.
  if (!only) {
    fs.writeFileSync(path.join(PROJECT_ROOT, 'docs', 'benchmarks.json'), `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), renderMarkdown(results, []));
    const readme = path.join(PROJECT_ROOT, 'README.md');
    fs.writeFileSync(readme, withFigures(fs.readFileSync(readme, 'utf8'), results));
  }
  process.stdout.write(`\n${markdown}\nWritten: ${path.relative(PROJECT_ROOT, latest)}, bench/results/latest.md (${Math.round(results.wallSeconds)} s)\n`);
  if (worse.length) process.stdout.write(`\nSlower or worse than the previous run by more than 10%:\n${worse.map((w) => `  ${w}`).join('\n')}\n`);
  const failed = benchmarks.filter((b) => b.failures.length > 0);
  if (failed.length) {
    process.stdout.write(`\nFailed: ${failed.map((b) => b.name).join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
