// Loaded first by the UI tier (`require` in .mocharc.json): when a test fails or times out, each open workbench
// leaves its screenshot and the server's and extension host's logs in test-results/failures/, so a hang is read, not rerun.
import type { Context } from 'mocha';
import { Workbench } from './workbench';

export const mochaHooks = {
  async afterEach(this: Context): Promise<void> {
    const test = this.currentTest;
    if (!test || test.state !== 'failed') return;
    const open = [...Workbench.open_];
    for (const [index, workbench] of open.entries()) {
      const dir = await workbench.host.saveFailureArtifacts(test.fullTitle(), workbench.page, open.length > 1 ? index + 1 : undefined);
      console.error(`      screenshot and logs of the failed test: ${dir}`);
    }
  },
};
