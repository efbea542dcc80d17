// `train` and `evaluate` on a multi-label dataset (NIH, CheXpert, MIMIC-CXR, VinDr-CXR, PadChest files): the
// commands dispatch here when the folder, or the model version, is multi-label.
import type { Dataset } from '../dataset';
import { backboneLocation } from '../ml/modelVersions';
import { evaluateMultiLabelItems } from '../ml/multilabel/evaluateMultiLabel';
import { trainMultiLabel } from '../ml/multilabel/trainMultiLabel';
import { latestMultiLabelVersion, readMultiLabelVersion } from '../ml/multilabel/versionStore';
import { stateDirOf } from '../ml/session';
import { UsageError } from './command';
import { chooseBackbone, intOption, openSession, printTrained, stderrProgress, writeJson } from './mlCommon';

/** Version of the JSON `train` prints for a multi-label dataset. */
export const MULTILABEL_TRAIN_OUTPUT_VERSION = 1;

export interface MultiLabelTrainArgs {
  findings?: string;
  epochs?: string;
  seed?: string;
  classes?: string;
  'augment-views'?: string;
  'fine-tune-blocks'?: string;
  backbone?: string;
  'backbone-sha256'?: string;
}

/** Trains the next multi-label version of `dataset` and prints it with its per-finding validation metrics. */
export async function trainMultiLabelCommand(dataset: Dataset, values: MultiLabelTrainArgs): Promise<number> {
  for (const option of ['classes', 'augment-views'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} does not apply to a multi-label dataset (use --findings A,B)`);
  }
  const findings = values.findings?.split(',').map((f) => f.trim());
  if (findings?.some((f) => f === '')) throw new UsageError(`--findings has an empty name: ${values.findings}`);
  const config = { findings, epochs: intOption('epochs', values.epochs), seed: intOption('seed', values.seed, 0), fineTuneBlocks: intOption('fine-tune-blocks', values['fine-tune-blocks'], 0) };
  const previous = await latestMultiLabelVersion(stateDirOf(dataset.root));
  // A new version starts from the base backbone, not from a previous version's fine-tuned one.
  const previousBase = previous?.info.backbone.fineTunedFrom?.location ?? previous?.info.backbone.location;
  const session = await openSession(dataset.root, chooseBackbone(values.backbone, previousBase), values['backbone-sha256']);
  try {
    const version = await trainMultiLabel(session, dataset.items, { findings: dataset.multiLabel!.findings, config, onProgress: stderrProgress() });
    printTrained(session, version, MULTILABEL_TRAIN_OUTPUT_VERSION, { kind: version.info.kind, findings: version.info.findings, leftOut: version.info.leftOut });
    return 0;
  } finally {
    await session.close();
  }
}

export interface MultiLabelEvaluateArgs {
  model: string;
  out: string;
  backbone?: string;
  'backbone-sha256'?: string;
}

/** Writes the per-finding metrics of a multi-label version on `dataset` to `--out`. */
export async function evaluateMultiLabelCommand(dataset: Dataset, values: MultiLabelEvaluateArgs): Promise<number> {
  if (!dataset.multiLabel) throw new Error(`${dataset.root} has no multi-label file (NIH, CheXpert, MIMIC-CXR, VinDr-CXR or PadChest) to evaluate a multi-label model on`);
  const version = await readMultiLabelVersion(values.model);
  const { backbone } = version.info;
  const session = await openSession(dataset.root, chooseBackbone(values.backbone, backboneLocation(version)), values['backbone-sha256'] ?? backbone.digest);
  try {
    const report = await evaluateMultiLabelItems(session, version, dataset.items, { onProgress: stderrProgress() });
    await writeJson(values.out, report);
    const mean = report.meanAuc.estimate;
    process.stderr.write(`${report.n} items evaluated on ${report.findings.length} findings (mean AUC ${mean === null ? 'undefined' : mean.toFixed(3)}), ${report.skipped.length} skipped; written to ${values.out}\n`);
    return 0;
  } finally {
    await session.close();
  }
}
