import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The command-line tool as tsc builds it (`out/src/cli.js`). */
export const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli.js');

/** The command-line tool as it ships: the esbuild bundle (`dist/cli.js`, `xray-curator` once installed). */
export const BUNDLED_CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `xray-curator ARGS` in its own process, as a script would, and collects what it printed. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env, cli = CLI): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
