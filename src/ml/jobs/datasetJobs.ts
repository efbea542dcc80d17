// The long jobs the extension runs on a dataset, each in a worker thread (see runJob.ts): score every item, and
// retrain from the journal's labels then re-score. Predictions of version N are kept in
// `<dataset>/.xray-curator/predictions/vN.json`, so the gallery can show what the last retrain changed.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset } from '../../dataset';
import { writeAtomically } from '../../dataset/atomicFile';
import type { TrainConfig } from '../config';
import { latestVersion } from '../modelStore';
import type { ModelVersion } from '../modelStore';
import type { PredictionsFile } from '../predict';
import { PREDICTIONS_VERSION } from '../predict';
import { predictItems } from '../predictItems';
import { MlSession, stateDirOf } from '../session';
import type { MlProgress } from '../session';
import { trainModel } from '../trainModel';
import { throwIfCancelled } from './jobContext';
import type { JobContext } from './jobContext';

export interface DatasetJobParams {
  root: string;
  /** Backbone folder or `https://` URL of its `model.json`. */
  backbone: string;
  backboneSha256?: string;
  /** Where downloaded backbones are cached (the extension's global storage). */
  cacheDir?: string;
  /** An image list selecting a subset. */
  files?: string;
}

export interface RetrainParams extends DatasetJobParams {
  classes?: string[];
  train?: Partial<Omit<TrainConfig, 'augment'>>;
}

export interface ScoreSummary {
  items: number;
  embedded: number;
  unreadable: number;
  /** The version that predicted, or null when no model has been trained yet. */
  modelVersion: number | null;
  predicted: number;
  backend: string;
}

export interface RetrainSummary extends ScoreSummary {
  modelVersion: number;
  parent: number | null;
  balancedAccuracy: number | null;
  macroAuc: number | null;
  warmStarted: boolean;
  trainSeconds: number;
}

export function predictionsPath(root: string, modelVersion: number): string {
  return path.join(stateDirOf(root), 'predictions', `v${modelVersion}.json`);
}

/** Predictions of a version, or undefined when that version never scored the dataset. */
export async function readPredictions(root: string, modelVersion: number): Promise<PredictionsFile | undefined> {
  const text = await fs.readFile(predictionsPath(root, modelVersion), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as PredictionsFile;
  if (parsed.version !== PREDICTIONS_VERSION) throw new Error(`predictions v${modelVersion}: unsupported format ${parsed.version}`);
  return parsed;
}

export async function scoreDataset(params: DatasetJobParams, ctx: JobContext): Promise<ScoreSummary> {
  return withSession(params, ctx, async (session, items) => {
    const version = await latestVersion(session.stateDir);
    const onProgress = progressReporter(ctx, version ? 0.95 : 1);
    if (!version) {
      const { errors } = await session.embedItems(items, { signal: ctx.signal, onProgress });
      const unreadable = errors.filter(Boolean).length;
      return { items: items.length, embedded: items.length - unreadable, unreadable, modelVersion: null, predicted: 0, backend: engineName(session) };
    }
    return scoreWith(params.root, session, version, items, ctx, onProgress);
  });
}

export async function retrainDataset(params: RetrainParams, ctx: JobContext): Promise<RetrainSummary> {
  return withSession(params, ctx, async (session, items) => {
    const started = performance.now();
    const version = await trainModel(session, items, {
      classes: params.classes,
      config: params.train,
      signal: ctx.signal,
      onProgress: progressReporter(ctx, 0.8),
    });
    const trainSeconds = (performance.now() - started) / 1000;
    throwIfCancelled(ctx.signal);
    const scored = await scoreWith(params.root, session, version, items, ctx, progressReporter(ctx, 1, 0.8));
    const { metrics, parent, warmStarted } = version.info;
    return {
      ...scored,
      modelVersion: version.info.modelVersion,
      parent,
      balancedAccuracy: metrics.balancedAccuracy.estimate,
      macroAuc: metrics.macroAuc.estimate,
      warmStarted,
      trainSeconds,
    };
  });
}

async function withSession<T>(params: DatasetJobParams, ctx: JobContext, run: (session: MlSession, items: Awaited<ReturnType<typeof openDataset>>['items']) => Promise<T>): Promise<T> {
  ctx.progress({ message: 'reading the dataset', fraction: 0 });
  const dataset = await openDataset(params.root, { files: params.files });
  throwIfCancelled(ctx.signal);
  ctx.progress({ message: 'loading the backbone' });
  const session = await MlSession.open(params.root, { backbone: params.backbone, sha256: params.backboneSha256, cacheDir: params.cacheDir });
  try {
    return await run(session, dataset.items);
  } finally {
    await session.close();
  }
}

async function scoreWith(
  root: string,
  session: MlSession,
  version: ModelVersion,
  items: Awaited<ReturnType<typeof openDataset>>['items'],
  ctx: JobContext,
  onProgress: (progress: MlProgress) => void,
): Promise<ScoreSummary & { modelVersion: number }> {
  const predictions = await predictItems(session, version, items, { signal: ctx.signal, onProgress });
  throwIfCancelled(ctx.signal);
  const file = predictionsPath(root, version.info.modelVersion);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, JSON.stringify(predictions));
  return {
    items: items.length,
    embedded: items.length - predictions.errors.length,
    unreadable: predictions.errors.length,
    modelVersion: version.info.modelVersion,
    predicted: predictions.items.length,
    backend: engineName(session),
  };
}

const PHASE_NAMES: Record<MlProgress['phase'], string> = { embed: 'embedding images', train: 'training the head', predict: 'predicting' };

/** Maps the engine's per-phase counts onto the job's share of work between `from` and `to`. */
function progressReporter(ctx: JobContext, to: number, from = 0): (progress: MlProgress) => void {
  return ({ phase, done, total }) => {
    const share = total > 0 ? done / total : 0;
    ctx.progress({ message: `${PHASE_NAMES[phase]} ${done}/${total}`, fraction: from + (to - from) * share });
  };
}

function engineName(session: MlSession): string {
  const { backend, simd } = session.info.engine;
  return simd ? `${backend} (SIMD)` : backend;
}
