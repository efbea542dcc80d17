import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset, stateDirOf } from '../dataset';
import type { Dataset } from '../dataset';
import { writeAtomically } from '../dataset/atomicFile';
import { modelsDir, readVersionInfo } from '../ml/modelVersions';
import { PREDICTIONS_VERSION } from '../ml/predictionFiles';
import type { PredictionsFile } from '../ml/predict';
import { predictItems } from '../ml/predictItems';
import { buildReport, latestReport, parseReport, renderHtml, renderMarkdown, reportItemsOf, reportModelOf, reportsDir, writeReport } from '../ml/report';
import type { Report, ReportModel } from '../ml/report';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { withModelSession } from './mlCommon';
import { chooseModel } from './predict';

const FORMATS = ['json', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

/** Probabilities of one model on the dataset, whichever way they were obtained. */
interface ModelPredictions {
  classes: string[];
  probs: Map<string, number[]>;
  model: ReportModel;
}

export const reportCommand: CliCommand = {
  usage:
    'report DATASET [--model DIR | --predictions FILE] [--files LIST] [--previous REPORT.json] [--backbone DIR|URL] ' +
    '[--save] --format json|md|html --out FILE',
  summary:
    'Balanced-metric report of a model on the labelled items: confusion matrix, per-class metrics with 95% CIs, ' +
    'ROC/PR curves, operating points, per-source breakdown, change against the parent model. Default model: the ' +
    'latest version; --predictions reads a predictions JSON instead of running the model. --save also writes ' +
    'JSON, Markdown and HTML into <dataset>/.xray-curator/reports/.',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      model: { type: 'string' },
      predictions: { type: 'string' },
      files: { type: 'string' },
      previous: { type: 'string' },
      backbone: { type: 'string' },
      save: { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    const format = values.format as Format | undefined;
    if (format === undefined || !FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    if (!values.out) throw new UsageError('missing --out FILE');
    if (values.model && values.predictions) throw new UsageError('give --model or --predictions, not both');

    const dataset = await openDataset(root, { files: values.files });
    const stateDir = stateDirOf(dataset.root);
    const predictions = values.predictions
      ? await readPredictions(values.predictions, stateDir)
      : await runModel(dataset, values.model, values.backbone);
    const { items, skipped } = reportItemsOf(dataset, predictions.classes, predictions.probs);
    if (items.length === 0) throw new Error('no labelled item of the model\'s classes has a prediction: nothing to report');

    const previous = values.previous
      ? parseReport(await fs.readFile(values.previous, 'utf8'), values.previous)
      : predictions.model.parent
        ? (await latestReport(reportsDir(stateDir), predictions.model.parent)) ?? undefined
        : undefined;
    const report = buildReport({ classes: predictions.classes, items, model: predictions.model, previous });
    await writeAtomically(path.resolve(values.out), render(report, format));
    process.stdout.write(`${summaryLine(report)}; written to ${values.out}\n`);
    if (values.save) {
      const paths = await writeReport(reportsDir(stateDir), report);
      process.stdout.write(`saved ${paths.json}, ${paths.md}, ${paths.html}\n`);
    }
    for (const line of [...skipped, ...dataset.warnings]) process.stderr.write(`warning: ${line}\n`);
    if (!values.files) process.stderr.write('note: every labelled item was evaluated, including those the model was trained on; give --files with held-out items for an unbiased report\n');
    if (predictions.model.parent && previous === undefined) {
      process.stderr.write(`note: no saved report of the parent model ${predictions.model.parent}: no comparison\n`);
    }
    return 0;
  },
};

function render(report: Report, format: Format): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'md' ? renderMarkdown(report) : renderHtml(report);
}

function summaryLine(report: Report): string {
  const e = report.evaluation;
  const fmt = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
  return `model ${report.model.version}, ${e.n} items: balanced accuracy ${fmt(e.balancedAccuracy.estimate)}, macro F1 ${fmt(e.macroF1.estimate)}, MCC ${fmt(e.mcc.estimate)}`;
}

/** A predictions JSON (`{version, modelVersion, classes, items: [{id, probs}]}`), as the ML engine writes it. */
async function readPredictions(file: string, stateDir: string): Promise<ModelPredictions> {
  const data = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<PredictionsFile>;
  if (data.version !== PREDICTIONS_VERSION) throw new Error(`${file}: not a predictions file of format version ${PREDICTIONS_VERSION}`);
  if (!Array.isArray(data.classes) || !Array.isArray(data.items)) throw new Error(`${file}: classes and items must be arrays`);
  const classes = data.classes;
  const probs = new Map<string, number[]>();
  for (const item of data.items) {
    if (typeof item?.id !== 'string' || !Array.isArray(item.probs) || item.probs.length !== classes.length) {
      throw new Error(`${file}: every item needs an id and ${classes.length} probabilities`);
    }
    probs.set(item.id, item.probs);
  }
  const modelVersion = typeof data.modelVersion === 'number' ? data.modelVersion : null;
  // The version folder, when it is there, tells the parent (for the comparison) and the backbone.
  const versionDir = path.join(modelsDir(stateDir), `v${modelVersion}`);
  const hasFolder = modelVersion !== null && (await fs.access(path.join(versionDir, 'version.json')).then(() => true, () => false));
  const info = hasFolder ? await readVersionInfo(versionDir) : null;
  return { classes, probs, model: info ? reportModelOf(info) : { version: modelVersion === null ? 'unknown' : `v${modelVersion}` } };
}

/** Runs the model version (latest by default) on the labelled items, through its own backbone. */
async function runModel(dataset: Dataset, modelDir: string | undefined, backbone: string | undefined): Promise<ModelPredictions> {
  const model = await chooseModel(dataset.root, modelDir, '--model DIR or --predictions FILE');
  const candidates = dataset.items.filter((item) => item.label !== null && item.hash && !item.error);
  const predicted = await withModelSession(dataset.root, model, { backbone }, (session) => predictItems(session, model, candidates));
  return {
    classes: model.info.classes,
    probs: new Map(predicted.items.map((p) => [p.id, p.probs])),
    model: reportModelOf(model.info),
  };
}
