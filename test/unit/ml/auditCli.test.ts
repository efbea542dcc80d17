import * as assert from 'node:assert/strict';
import { auditCommand } from '../../../src/cli/audit';
import { UsageError } from '../../../src/cli/command';

describe('audit: command line', () => {
  it('names the missing argument as a usage error', async () => {
    await assert.rejects(auditCommand.run(['--out', 'x.json']), (error: Error) => error instanceof UsageError && /missing DATASET/.test(error.message));
    await assert.rejects(auditCommand.run(['some/folder']), (error: Error) => error instanceof UsageError && /missing --out FILE\.json/.test(error.message));
    await assert.rejects(auditCommand.run(['some/folder', '--out', 'x.json', '--seed', 'one']), (error: Error) => error instanceof UsageError && /--seed must be an integer/.test(error.message));
    await assert.rejects(auditCommand.run(['some/folder', '--bogus']), UsageError);
  });
});
