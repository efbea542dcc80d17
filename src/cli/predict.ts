import * as path from 'node:path';
import { latestVersion, readVersionInfo } from '../ml/modelVersions';
import type { ModelVersion } from '../ml/modelVersions';
import { predictItems } from '../ml/predictItems';
import { openDataset, stateDirOf } from '../dataset';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { MODEL_OPTIONS, stderrProgress, withModelSession, writeJson } from './mlCommon';

/** The version folder given, else the dataset's latest version; `otherwise` names what else the command accepts. */
export async function chooseModel(root: string, dir: string | undefined, otherwise = '--model DIR'): Promise<ModelVersion> {
  if (dir) return { dir: path.resolve(dir), info: await readVersionInfo(path.resolve(dir)) };
  const latest = await latestVersion(stateDirOf(root));
  if (!latest) throw new Error(`no model trained yet in ${root} (run: xray-curator train ${root}), or pass ${otherwise}`);
  return latest;
}

export const predictCommand: CliCommand = {
  usage: 'predict DATASET [--model DIR] [--files LIST] [--backbone DIR|URL] [--backbone-sha256 HEX] --out FILE.json',
  summary: "Writes every item's class probabilities, predicted class, confidence, margin and entropy (latest model by default).",
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, MODEL_OPTIONS);
    const root = requirePositional(positionals, 'DATASET');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const out = values.out;
    const model = await chooseModel(root, values.model);
    const dataset = await openDataset(root, { files: values.files });
    return withModelSession(root, model, values, async (session) => {
      const predictions = await predictItems(session, model, dataset.items, { onProgress: stderrProgress() });
      await writeJson(out, predictions);
      process.stderr.write(`${predictions.items.length} predictions by model v${model.info.modelVersion}, ${predictions.errors.length} errors; written to ${out}\n`);
      return 0;
    });
  },
};
