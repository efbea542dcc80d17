// The side of a benchmark that runs in its own child process: parses the runner's arguments, runs, and prints
// exactly one JSON line (its figures, inputs and the process's peak memory) on stdout. Progress goes to stderr.
import * as os from 'node:os';
import * as path from 'node:path';

/** A figure is a number (or a pass/fail); null when it could not be measured here (with a note saying why). */
export type MetricValue = number | boolean | null;

export interface BenchOutput {
  /** Figures by key (see `figures.ts`); the runner takes the median of each over runs. */
  metrics: Record<string, MetricValue>;
  /** What the figures were measured on: counts, sizes, engines, settings. */
  inputs: Record<string, unknown>;
  /** Tables and breakdowns kept from the last run (not medianed). */
  details?: Record<string, unknown>;
  /** Why a figure is missing or how to read it. */
  notes?: string[];
}

export interface BenchLine extends BenchOutput {
  benchmark: string;
  wallMs: number;
  /** `process.resourceUsage().maxRSS` of this process, in MB: the benchmark's own peak memory. */
  peakRssMB: number;
}

export interface BenchArgs {
  quick: boolean;
  /** Persistent working folder under the system temp folder (hard-linked datasets, embedding caches). */
  work: string;
  /** `--name value` options after the script name. */
  options: Map<string, string>;
}

/** The working folder shared by the benchmarks of a run: under `os.tmpdir()`, never inside the shared data. */
export function defaultWorkDir(): string {
  return process.env.XRAY_BENCH_WORK ?? path.join(os.tmpdir(), 'xray-curator-bench');
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      options.set(arg.slice(2), next);
      i++;
    } else options.set(arg.slice(2), 'true');
  }
  return { quick: options.has('quick'), work: options.get('work') ?? defaultWorkDir(), options };
}

/** Runs `main` and prints its one JSON line; exits non-zero (after printing the error) when it throws. */
export function runBenchmark(name: string, main: (args: BenchArgs) => Promise<BenchOutput>): void {
  const start = performance.now();
  main(parseBenchArgs(process.argv.slice(2)))
    .then((output) => {
      const line: BenchLine = {
        benchmark: name,
        ...output,
        wallMs: Math.round(performance.now() - start),
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      // Worker pools and tfjs can keep handles open; the line is out, so the child is done.
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bench/${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}

/** A progress line on stderr (the runner shows it). */
export function progress(name: string, text: string): void {
  process.stderr.write(`[${name}] ${text}\n`);
}
