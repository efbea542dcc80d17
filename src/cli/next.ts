import * as fs from 'node:fs/promises';
import { openDataset } from '../dataset';
import type { DatasetItem } from '../dataset';
import type { PredictionsFile } from '../ml/predict';
import { PREDICTIONS_VERSION } from '../ml/predictionFiles';
import { latestQueuePredictions } from '../ml/nextQueue/queuePredictions';
import type { QueuePredictions } from '../ml/nextQueue/queuePredictions';
import { itemVectors } from '../ml/similarity/datasetVectors';
import { NEXT_STRATEGIES, rankNext } from '../ml/nextQueue/rankNext';
import type { NextInput, NextStrategy } from '../ml/nextQueue/rankNext';
import type { CliCommand } from './command';
import { parseCommandArgs, requirePositional, UsageError } from './command';
import { chooseBackbone, intOption, openSession, stderrProgress, writeJson } from './mlCommon';

/** Version of the JSON `next --out` writes. */
export const NEXT_OUTPUT_VERSION = 1;

/**
 * `--predictions FILE` (as `predict --out` writes it), else the newest stored in the state folder: the class model's,
 * or on a multi-label dataset the findings model's.
 */
async function latestPredictions(root: string, file: string | undefined, multiLabel: boolean): Promise<QueuePredictions | undefined> {
  if (!file) return latestQueuePredictions(root, multiLabel);
  const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<PredictionsFile>;
  if (parsed.version !== PREDICTIONS_VERSION || !Array.isArray(parsed.items)) throw new Error(`${file}: not a predictions file of format version ${PREDICTIONS_VERSION}`);
  return { modelVersion: parsed.modelVersion!, multiLabel: false, probsById: new Map(parsed.items.map((p) => [p.id, p.probs])) };
}

/** The ids listed one per line (blank lines and `#` comments skipped). */
async function readIdList(file: string): Promise<Set<string>> {
  const lines = (await fs.readFile(file, 'utf8')).split(/\r?\n/).map((line) => line.trim());
  return new Set(lines.filter((line) => line && !line.startsWith('#')));
}

export const nextCommand: CliCommand = {
  usage:
    'next DATASET --strategy uncertainty|diversity|mixed [--k K] [--candidates LIST] [--predictions FILE.json] [--measure entropy|margin] ' +
    '[--backbone DIR|URL] [--backbone-sha256 HEX] --out FILE.json',
  summary:
    'The K (default 50) images to label next: the unlabelled ones (or those LIST names) ranked by the latest predictions\' uncertainty (on a multi-label dataset, the findings model\'s, averaged over findings), ' +
    'by k-center greedy diversity from the labelled ones, or mixed (diversity among the 4K most uncertain).',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      strategy: { type: 'string' },
      k: { type: 'string' },
      candidates: { type: 'string' },
      predictions: { type: 'string' },
      measure: { type: 'string' },
      backbone: { type: 'string' },
      'backbone-sha256': { type: 'string' },
      out: { type: 'string' },
    });
    const root = requirePositional(positionals, 'DATASET');
    if (!values.out) throw new UsageError('missing --out FILE.json');
    const strategy = values.strategy as NextStrategy;
    if (!NEXT_STRATEGIES.includes(strategy)) throw new UsageError(`--strategy must be one of ${NEXT_STRATEGIES.join(', ')}, got ${values.strategy ?? 'nothing'}`);
    const measure = values.measure ?? 'entropy';
    if (measure !== 'entropy' && measure !== 'margin') throw new UsageError(`--measure must be entropy or margin, got ${measure}`);
    const k = intOption('k', values.k) ?? 50;
    const dataset = await openDataset(root);
    const listed = values.candidates ? await readIdList(values.candidates) : undefined;
    const multiLabel = dataset.multiLabel !== undefined;
    const isLabelled = (item: DatasetItem): boolean => (multiLabel ? item.findings !== undefined : item.label !== null);
    const isCandidate = (item: DatasetItem): boolean => (listed ? listed.has(item.id) : !isLabelled(item));
    const skipped: { id: string; reason: string }[] = [];

    const predictions = strategy === 'diversity' ? undefined : await latestPredictions(root, values.predictions, multiLabel);
    if (strategy !== 'diversity' && !predictions) throw new Error(`no predictions in ${root}: score the dataset, or pass --predictions FILE.json from xray-curator predict`);
    let items: DatasetItem[] = dataset.items.filter((item) => !item.error);
    let vectors: NextInput['vectors'];
    if (strategy !== 'uncertainty') {
      const session = await openSession(root, chooseBackbone(values.backbone), values['backbone-sha256']);
      try {
        const embedded = await itemVectors(session, items, { onProgress: stderrProgress() });
        const kept = new Set(embedded.items);
        for (const item of items) if (!kept.has(item) && isCandidate(item)) skipped.push({ id: item.id, reason: 'no embedding' });
        items = embedded.items;
        vectors = embedded.table;
      } finally {
        await session.close();
      }
    }
    const probsById = predictions?.probsById ?? new Map<string, number[]>();
    const candidates = items.flatMap((item, row) => (isCandidate(item) ? [row] : []));
    if (predictions) for (const row of candidates) if (!probsById.has(items[row].id)) skipped.push({ id: items[row].id, reason: `not scored by model v${predictions.modelVersion}` });
    const input: NextInput = {
      vectors,
      candidates,
      labelled: items.flatMap((item, row) => (isLabelled(item) && !isCandidate(item) ? [row] : [])),
      probs: predictions ? items.map((item) => probsById.get(item.id) ?? null) : undefined,
      multiLabel: predictions?.multiLabel,
    };
    const ranked = rankNext(strategy, input, k, { measure });
    const output = {
      version: NEXT_OUTPUT_VERSION,
      strategy,
      measure: strategy === 'diversity' ? null : measure,
      modelVersion: predictions?.modelVersion ?? null,
      candidates: candidates.length,
      items: ranked.map((r) => ({ id: items[r.row].id, score: r.score })),
      skipped,
    };
    await writeJson(values.out, output);
    process.stderr.write(`${output.items.length} of ${candidates.length} candidates queued by ${strategy}; written to ${values.out}\n`);
    return 0;
  },
};
