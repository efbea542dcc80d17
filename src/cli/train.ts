import { openDataset } from '../dataset';
import { latestVersion } from '../ml/modelStore';
import { stateDirOf } from '../ml/session';
import { trainModel } from '../ml/trainModel';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { chooseBackbone, intOption, openSession, printTrained, stderrProgress } from './mlCommon';
import { trainMultiLabelCommand } from './multilabel';

/** Version of the JSON `train` prints. */
export const TRAIN_OUTPUT_VERSION = 1;

export const trainCommand: CliCommand = {
  usage: 'train DATASET [--classes A,B | --findings A,B] [--files LIST] [--epochs N] [--fine-tune-blocks K] [--seed S] [--augment-views V] [--backbone DIR|URL] [--backbone-sha256 HEX]',
  summary: 'Trains the next model version from cached embeddings and prints it with its validation metrics as JSON.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      classes: { type: 'string' },
      findings: { type: 'string' },
      files: { type: 'string' },
      epochs: { type: 'string' },
      'fine-tune-blocks': { type: 'string' },
      seed: { type: 'string' },
      'augment-views': { type: 'string' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    const classes = values.classes?.split(',').map((c) => c.trim());
    if (classes?.some((c) => c === '')) throw new UsageError(`--classes has an empty name: ${values.classes}`);
    const config = {
      ...(values.epochs !== undefined ? { epochs: intOption('epochs', values.epochs) } : {}),
      ...(values.seed !== undefined ? { seed: intOption('seed', values.seed, 0) } : {}),
      ...(values['fine-tune-blocks'] !== undefined ? { fineTuneBlocks: intOption('fine-tune-blocks', values['fine-tune-blocks'], 0) } : {}),
      ...(values['augment-views'] !== undefined ? { augmentViews: intOption('augment-views', values['augment-views'], 0) } : {}),
    };
    const dataset = await openDataset(root, { files: values.files });
    if (dataset.multiLabel) return trainMultiLabelCommand(dataset, values);
    if (values.findings !== undefined) throw new UsageError('--findings needs a multi-label dataset (NIH, CheXpert, MIMIC-CXR, VinDr-CXR or PadChest files)');
    const previous = await latestVersion(stateDirOf(root));
    // A new version starts from the base backbone, not from a previous version's fine-tuned one.
    const previousBase = previous?.info.backbone.fineTunedFrom?.location ?? previous?.info.backbone.location;
    const session = await openSession(root, chooseBackbone(values.backbone, previousBase), values['backbone-sha256']);
    try {
      const version = await trainModel(session, dataset.items, { classes, config, onProgress: stderrProgress() });
      printTrained(session, version, TRAIN_OUTPUT_VERSION, { classes: version.info.classes });
      return 0;
    } finally {
      await session.close();
    }
  },
};
