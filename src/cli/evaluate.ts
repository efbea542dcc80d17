import { openDataset } from '../dataset';
import { isMultiLabelVersionDir } from '../ml/multilabel/versionStore';
import { evaluateItems } from '../ml/predictItems';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { MODEL_OPTIONS, stderrProgress, withModelSession, writeJson } from './mlCommon';
import { evaluateMultiLabelCommand } from './multilabel';
import { chooseModel } from './predict';

export const evaluateCommand: CliCommand = {
  usage: 'evaluate --model DIR OTHER_DATASET [--files LIST] [--backbone DIR|URL] [--backbone-sha256 HEX] --out FILE.json',
  summary: 'Metrics of a trained model version on another labelled folder, with a per-source breakdown when the manifest has that column.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, MODEL_OPTIONS);
    const root = requirePositional(positionals, 'OTHER_DATASET');
    if (!values.model) throw new UsageError('missing --model DIR (a models/vN folder)');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const out = values.out;
    if (await isMultiLabelVersionDir(values.model)) return evaluateMultiLabelCommand(await openDataset(root, { files: values.files }), { ...values, model: values.model, out });
    const model = await chooseModel(root, values.model);
    const dataset = await openDataset(root, { files: values.files });
    return withModelSession(root, model, values, async (session) => {
      const report = await evaluateItems(session, model, dataset.items, { onProgress: stderrProgress() });
      await writeJson(out, report);
      const accuracy = report.overall.balancedAccuracy.estimate;
      process.stderr.write(`${report.n} items evaluated (balanced accuracy ${accuracy === null ? 'undefined' : accuracy.toFixed(3)}), ${report.skipped.length} skipped; written to ${out}\n`);
      return 0;
    });
  },
};
