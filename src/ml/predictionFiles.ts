// Where the predictions of model version N over a dataset live (`<state folder>/predictions/vN.json`) and how they
// are read back. No TensorFlow.js here: the extension host reads these files without loading the engine.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stateDirOf } from '../dataset/userCache';
import type { PredictionsFile } from './predict';

/** Format version of the predictions JSON. */
export const PREDICTIONS_VERSION = 1;

export function predictionsDir(root: string): string {
  return path.join(stateDirOf(root), 'predictions');
}

export function predictionsPath(root: string, modelVersion: number): string {
  return path.join(predictionsDir(root), `v${modelVersion}.json`);
}

/** Versions that scored the dataset, newest first. */
export async function predictionVersions(root: string): Promise<number[]> {
  const names = await fs.readdir(predictionsDir(root)).catch(() => [] as string[]);
  return names.map((name) => /^v(\d+)\.json$/.exec(name)?.[1]).filter((v): v is string => v !== undefined).map(Number).sort((a, b) => b - a);
}

/** The predictions of a version, or undefined when that version never scored the dataset; a damaged file throws. */
export async function readPredictions(root: string, modelVersion: number): Promise<PredictionsFile | undefined> {
  const file = predictionsPath(root, modelVersion);
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as Partial<PredictionsFile>;
  if (parsed.version !== PREDICTIONS_VERSION || !Array.isArray(parsed.classes) || !Array.isArray(parsed.items) || typeof parsed.modelVersion !== 'number') {
    throw new Error(`${file}: not a predictions file of format version ${PREDICTIONS_VERSION}`);
  }
  return parsed as PredictionsFile;
}
