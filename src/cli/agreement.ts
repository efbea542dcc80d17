import * as path from 'node:path';
import { writeAtomically } from '../dataset/atomicFile';
import { parseConsensusRule } from '../dataset/readers';
import type { ConsensusRule } from '../dataset/readers';
import { datasetAgreement, renderAgreementHtml, renderAgreementMarkdown } from '../ml/agreement';
import type { AgreementReport } from '../ml/agreement';
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
    const { report, datasetWarnings } = await datasetAgreement(root, {
      rule: values.consensus === undefined ? undefined : consensusOption(values.consensus),
      files: values.files,
      iterations: intOption('iterations', values.iterations),
      seed: intOption('seed', values.seed, 0),
    });
    await writeAtomically(path.resolve(values.out), render(report, format));
    process.stdout.write(`${summaryLine(report)}; written to ${values.out}\n`);
    for (const line of [...report.warnings, ...datasetWarnings]) process.stderr.write(`warning: ${line}\n`);
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

function render(report: AgreementReport, format: Format): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'md' ? renderAgreementMarkdown(report) : renderAgreementHtml(report);
}

function summaryLine(report: AgreementReport): string {
  const fmt = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
  return `${report.readers.length} readers, ${report.items} images, ${report.pairs.length} pair(s): Fleiss' kappa ${fmt(report.fleiss.estimate)}, Krippendorff's alpha ${fmt(report.alpha.estimate)}`;
}
