import { openDataset } from '../dataset';
import { auditDataset, auditSummary } from '../ml/audit/auditDataset';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { chooseBackbone, intOption, openSession, stderrProgress, writeJson } from './mlCommon';

export const auditCommand: CliCommand = {
  usage: 'audit DATASET [--files LIST] [--manifest CSV] [--backbone DIR|URL] [--backbone-sha256 HEX] [--seed N] --out FILE.json',
  summary: 'Label issues (confident learning), duplicate clusters, leakage across splits/classes/patients, and source shortcuts, from cached embeddings.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      files: { type: 'string' },
      manifest: { type: 'string' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const seed = intOption('seed', values.seed, 0) ?? 0;
    const dataset = await openDataset(root, { files: values.files, manifest: values.manifest });
    const session = await openSession(root, chooseBackbone(values.backbone), values['backbone-sha256']);
    try {
      const report = await auditDataset(session, dataset, { seed, files: values.files, onProgress: stderrProgress() });
      await writeJson(values.out, report);
      process.stderr.write(`${auditSummary(report)}; written to ${values.out}\n`);
      for (const finding of report.shortcuts?.findings.slice(0, 5) ?? []) process.stderr.write(`  ${finding}\n`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
