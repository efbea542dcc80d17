import * as path from 'node:path';
import { openDataset, readJournal } from '../dataset';
import { writeAtomically } from '../dataset/atomicFile';
import { datasetReadings, DEFAULT_CONSENSUS, parseConsensusRule, readConsensusRule } from '../dataset/readers';
import type { ConsensusRule } from '../dataset/readers';
import { buildAgreementReport, renderAgreementHtml, renderAgreementMarkdown } from '../ml/agreement';
import type { AgreementReport, ModelPredictedClasses } from '../ml/agreement';
import { predictionVersions, readPredictions } from '../ml/predictionFiles';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { intOption } from './mlCommon';

const FORMATS = ['json', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

export const agreementCommand: CliCommand = {
  usage: 'agreement DATASET --out FILE [--format json|md|html] [--consensus majority|unanimous|adjudicator:NAME|reader:NAME] [--files LIST] [--iterations N] [--seed S]',
  summary:
    "Agreement among the dataset's readers (journal users, imported readers such as VinDr's rad_id): Cohen's kappa per " +
    "pair, Fleiss' kappa, Krippendorff's alpha with 95% bootstrap intervals over images (1000 resamples, seed 0), per " +
    'class or finding, reader-vs-reader tables, prevalence per reader, the consensus (default: the dataset\'s rule, else majority) and, when the ' +
    "latest model version scored the dataset, each reader's sensitivity and specificity against it beside the model's.",
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' },
      format: { type: 'string' },
      consensus: { type: 'string' },
      files: { type: 'string' },
      iterations: { type: 'string' },
      seed: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    if (!values.out) throw new UsageError('missing --out FILE');
    const format = (values.format ?? 'json') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    // The dataset's own rule (`label --consensus`) unless one is given here.
    const rule = values.consensus === undefined ? ((await readConsensusRule(root)) ?? DEFAULT_CONSENSUS) : consensusOption(values.consensus);
    const options = { iterations: intOption('iterations', values.iterations), seed: intOption('seed', values.seed, 0) };

    const dataset = await openDataset(root, { files: values.files });
    const journal = await readJournal(dataset.root);
    const readings = await datasetReadings(dataset, journal.entries);
    const report = buildAgreementReport({
      dataset: dataset.root,
      readings,
      rule,
      predictions: readings.kind === 'single-label' ? await latestPredictions(dataset.root) : undefined,
      options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    });
    await writeAtomically(path.resolve(values.out), render(report, format));
    process.stdout.write(`${summaryLine(report)}; written to ${values.out}\n`);
    for (const line of [...report.warnings, ...dataset.warnings]) process.stderr.write(`warning: ${line}\n`);
    return 0;
  },
};

function consensusOption(text: string): ConsensusRule {
  try {
    return parseConsensusRule(text);
  } catch (error) {
    throw new UsageError(`--consensus: ${(error as Error).message}`);
  }
}

/** The predicted classes of the newest model version that scored the dataset (`predictions/vN.json`), if any. */
async function latestPredictions(root: string): Promise<ModelPredictedClasses | undefined> {
  const [latest] = await predictionVersions(root);
  const file = latest === undefined ? undefined : await readPredictions(root, latest);
  if (!file) return undefined;
  return { modelVersion: `v${file.modelVersion}`, classes: file.classes, predicted: new Map(file.items.map((item) => [item.id, item.predicted])) };
}

function render(report: AgreementReport, format: Format): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'md' ? renderAgreementMarkdown(report) : renderAgreementHtml(report);
}

function summaryLine(report: AgreementReport): string {
  const fmt = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
  return `${report.readers.length} readers, ${report.items} images, ${report.pairs.length} pair(s): Fleiss' kappa ${fmt(report.fleiss.estimate)}, Krippendorff's alpha ${fmt(report.alpha.estimate)}`;
}
