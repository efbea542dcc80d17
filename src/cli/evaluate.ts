import * as path from 'node:path';
import { openDataset } from '../dataset';
import { backboneLocation, readVersionInfo } from '../ml/modelStore';
import { evaluateItems } from '../ml/predictItems';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { chooseBackbone, openSession, stderrProgress, writeJson } from './mlCommon';

export const evaluateCommand: CliCommand = {
  usage: 'evaluate --model DIR OTHER_DATASET [--files LIST] [--backbone DIR|URL] [--backbone-sha256 HEX] --out FILE.json',
  summary: 'Metrics of a trained model version on another labelled folder, with a per-source breakdown when the manifest has that column.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      model: { type: 'string' },
      files: { type: 'string' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'OTHER_DATASET');
    if (!values.model) throw new UsageError('missing --model DIR (a models/vN folder)');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const dir = path.resolve(values.model);
    const model = { dir, info: await readVersionInfo(dir) };
    const dataset = await openDataset(root, { files: values.files });
    const session = await openSession(root, chooseBackbone(values.backbone, backboneLocation(model)), values['backbone-sha256'] ?? model.info.backbone.digest);
    try {
      const report = await evaluateItems(session, model, dataset.items, { onProgress: stderrProgress() });
      await writeJson(values.out, report);
      const accuracy = report.overall.balancedAccuracy.estimate;
      process.stderr.write(`${report.n} items evaluated (balanced accuracy ${accuracy === null ? 'undefined' : accuracy.toFixed(3)}), ${report.skipped.length} skipped; written to ${values.out}\n`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
