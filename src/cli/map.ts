import { openDataset } from '../dataset';
import { DEFAULT_MAP_CONFIG } from '../ml/map/computeMap';
import { datasetMap } from '../ml/map/datasetMap';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { chooseBackbone, intOption, openSession, stderrProgress, writeJson } from './mlCommon';

/** Version of the JSON `map --out` writes. */
export const MAP_OUTPUT_VERSION = 1;

export const mapCommand: CliCommand = {
  usage: 'map DATASET [--files LIST] [--seed N] [--backbone DIR|URL] [--backbone-sha256 HEX] --out FILE.json',
  summary: 'A 2-D map of the embeddings (PCA, then UMAP; cached per embedding set in the state folder): {points: [{id, x, y}]}.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      files: { type: 'string' },
      seed: { type: 'string' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const seed = intOption('seed', values.seed, 0) ?? DEFAULT_MAP_CONFIG.seed;
    const dataset = await openDataset(root, { files: values.files });
    const session = await openSession(root, chooseBackbone(values.backbone), values['backbone-sha256']);
    try {
      const map = await datasetMap(session, dataset.items, { seed }, { onProgress: stderrProgress() });
      await writeJson(values.out, { version: MAP_OUTPUT_VERSION, seed, fitted: map.fitted, points: map.points, warnings: [...dataset.warnings, ...map.warnings] });
      process.stderr.write(`${map.points.length} points (${map.cached ? 'cached' : 'computed'}: ${map.file}); written to ${values.out}\n`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
