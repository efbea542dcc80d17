// The same integration suite through @vscode/test-electron, for machines that can download desktop VS Code
// (not these: they have no internet; see test/host/runIntegration.ts for the runner used here).
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { PROJECT_ROOT } from './vscodeHost';

runTests({
  extensionDevelopmentPath: PROJECT_ROOT,
  extensionTestsPath: path.join(PROJECT_ROOT, 'out', 'test', 'integration', 'index.js'),
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
