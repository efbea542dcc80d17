import * as path from 'node:path';
import { openDataset } from '../dataset';
import { backboneLocation, latestVersion, readVersionInfo } from '../ml/modelStore';
import type { ModelVersion } from '../ml/modelStore';
import { predictItems } from '../ml/predictItems';
import { stateDirOf } from '../ml/session';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { chooseBackbone, openSession, stderrProgress, writeJson } from './mlCommon';

/** The version folder given, else the dataset's latest version. */
export async function chooseModel(root: string, dir: string | undefined): Promise<ModelVersion> {
  if (dir) return { dir: path.resolve(dir), info: await readVersionInfo(path.resolve(dir)) };
  const latest = await latestVersion(stateDirOf(root));
  if (!latest) throw new Error(`no model trained yet in ${root} (run: xray-curator train ${root}), or pass --model DIR`);
  return latest;
}

export const predictCommand: CliCommand = {
  usage: 'predict DATASET [--model DIR] [--files LIST] [--backbone DIR|URL] [--backbone-sha256 HEX] --out FILE.json',
  summary: "Writes every item's class probabilities, predicted class, confidence, margin and entropy (latest model by default).",
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      model: { type: 'string' },
      files: { type: 'string' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const model = await chooseModel(root, values.model);
    const dataset = await openDataset(root, { files: values.files });
    const session = await openSession(root, chooseBackbone(values.backbone, backboneLocation(model)), values['backbone-sha256'] ?? model.info.backbone.digest);
    try {
      const predictions = await predictItems(session, model, dataset.items, { onProgress: stderrProgress() });
      await writeJson(values.out, predictions);
      process.stderr.write(`${predictions.items.length} predictions by model v${model.info.modelVersion}, ${predictions.errors.length} errors; written to ${values.out}\n`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
