// Reads the predictions the ML jobs leave in `<state folder>/predictions/vN.json` (see
// src/ml/jobs/datasetJobs.ts), so a gallery opened on a dataset with a trained model shows its predictions, and a
// retrain (a new vN.json) reaches an open gallery. Only types come from src/ml: no TensorFlow.js is loaded here.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stateDirOf } from '../dataset';
import type { PredictionsFile } from '../ml/predict';
import type { PredictionSet } from './galleryData';

export function predictionsDir(root: string): string {
  return path.join(stateDirOf(root), 'predictions');
}

/**
 * The latest version's predictions, compared with the version before it; undefined when none were written or when
 * the latest is `shown` (checked on the file names, before any large file is parsed).
 */
export async function latestPredictions(root: string, shown?: string): Promise<PredictionSet | undefined> {
  const names = await fs.readdir(predictionsDir(root)).catch(() => [] as string[]);
  const versions = names.map((name) => /^v(\d+)\.json$/.exec(name)?.[1]).filter((v): v is string => v !== undefined).map(Number).sort((a, b) => b - a);
  if (versions.length === 0 || `v${versions[0]}` === shown) return undefined;
  const latest = await readPredictionsFile(root, versions[0]);
  const previous = versions.length > 1 ? await readPredictionsFile(root, versions[1]).catch(() => undefined) : undefined;
  return {
    model: `v${latest.modelVersion}`,
    classes: latest.classes,
    predictions: latest.items,
    // Without an earlier version nothing "changed"; an empty previous set says so.
    previous: previous?.items ?? [],
  };
}

async function readPredictionsFile(root: string, version: number): Promise<PredictionsFile> {
  const file = path.join(predictionsDir(root), `v${version}.json`);
  const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<PredictionsFile>;
  if (parsed.version !== 1 || !Array.isArray(parsed.classes) || !Array.isArray(parsed.items) || typeof parsed.modelVersion !== 'number') {
    throw new Error(`${file}: not a predictions file this version of the gallery reads`);
  }
  return parsed as PredictionsFile;
}
