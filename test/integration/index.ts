// Entry point loaded by the extension host (`extensionTestsPath`): runs every *.test.js beside it with mocha,
// inside the real VS Code API.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { RESULT_MARKER } from './result';
import type { SuiteResult } from './result';

export async function run(): Promise<void> {
  // XRAY_TEST_GREP (inherited from the runner through the server) runs a subset while developing.
  // No test may wait longer than two minutes: a hang fails fast (the runner then saves a screenshot and the logs).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec', grep: process.env.XRAY_TEST_GREP });
  for (const file of fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const stats = await new Promise<{ passes: number; failures: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }));
  });
  const result: SuiteResult = { vscodeVersion: vscode.version, passed: stats.passes, failed: stats.failures };
  console.log(RESULT_MARKER + JSON.stringify(result));
  if (stats.failures > 0) throw new Error(`${stats.failures} integration tests failed`);
}
