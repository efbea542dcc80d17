// Runs the integration suite (out/test/integration/index.js) inside the extension host of a real VS Code, and exits
// with its result. The last line printed is `VS Code <version> extension host: N passed, M failed`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { PROJECT_ROOT, VsCodeHost, launchBrowser } from './vscodeHost';
import { RESULT_MARKER } from '../integration/result';
import type { SuiteResult } from '../integration/result';

const SUITE_TIMEOUT_MS = 20 * 60_000;
/** Workbench chatter that says nothing about the suite (no network here, no marketplace, a refused trust dialog). */
const NOISE = /ENOTFOUND|open-vsx|marketplace|Service Worker|connection token|Creating a socket|builtin extensions cache|ChatSessionStore/;

async function main(): Promise<number> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-it-workspace-'));
  const host = await VsCodeHost.start({ isolatedCache: true });
  const browser = await launchBrowser();
  let result: SuiteResult | undefined;
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...args);
      if (NOISE.test(line)) return;
      const marker = line.indexOf(RESULT_MARKER);
      if (marker >= 0) result = JSON.parse(line.slice(marker + RESULT_MARKER.length)) as SuiteResult;
      else if (type === 'error') console.error(line);
      else console.log(line);
    });
    await page.goto(
      host.url({
        folder: workspace,
        extensionDevelopmentPath: PROJECT_ROOT,
        extensionTestsPath: path.join(PROJECT_ROOT, 'out', 'test', 'integration', 'index.js'),
      }),
    );
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), SUITE_TIMEOUT_MS));
    const code = await Promise.race([exit, timeout]);
    if (code === -1) console.error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes`);
    if (code !== 0 || !result || result.failed > 0) console.error(`screenshot and logs: ${await host.saveFailureArtifacts('integration', page)}`);
    if (!result) {
      console.log(`VS Code (unknown) extension host: 0 passed, 1 failed`);
      return 1;
    }
    console.log(`VS Code ${result.vscodeVersion} extension host: ${result.passed} passed, ${result.failed} failed`);
    return code === 0 && result.failed === 0 && result.passed > 0 ? 0 : 1;
  } finally {
    await browser.close();
    await host.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('VS Code (unknown) extension host: 0 passed, 1 failed');
    process.exit(1);
  },
);
