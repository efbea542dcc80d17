// Model versions in `<dataset>/.xray-curator/models/vN/`: the head (tfjs layers model) and `version.json`
// (classes, backbone, training config, label fingerprint, metrics, parent).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config';
import { loadModelFromDir, saveModelToDir } from './layersModelIO';
import type { Evaluation } from './metrics';
import type { EpochLog } from './trainHead';

/** Format version of `version.json`. */
export const MODEL_VERSION_FORMAT = 1;

export interface BackboneRecord {
  id: string;
  digest: string;
  /** Folder or URL it was loaded from (informative; the digest identifies it). */
  location: string;
  inputSize: [number, number];
  featureDim: number;
  preprocessVersion: number;
}

export interface ModelVersionInfo {
  version: typeof MODEL_VERSION_FORMAT;
  /** N of `vN`. */
  modelVersion: number;
  parent: number | null;
  createdAt: string;
  classes: string[];
  backbone: BackboneRecord;
  trainConfig: TrainConfig;
  /** sha256 over the sorted `(content hash, label)` pairs the model was trained and validated on. */
  labelsFingerprint: string;
  trainedOn: { train: number; validation: number; augmentedViews: number; perClass: Record<string, number>; groupedBy: string | null };
  warmStarted: boolean;
  bestEpoch: number;
  history: EpochLog[];
  /** Metrics on the validation split. */
  metrics: Evaluation;
}

export interface ModelVersion {
  dir: string;
  info: ModelVersionInfo;
}

export function modelsDir(stateDir: string): string {
  return path.join(stateDir, 'models');
}

/** Fingerprint of a labelling: independent of item order and file names (content hashes are used). */
export function labelsFingerprint(pairs: readonly { hash: string; label: string }[]): string {
  const lines = pairs.map((p) => `${p.hash}\t${p.label}`).sort();
  return crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Version numbers present under `stateDir/models`, ascending. */
export async function listVersions(stateDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(modelsDir(stateDir));
  } catch {
    return [];
  }
  const versions = names.flatMap((name) => {
    const m = /^v(\d+)$/.exec(name);
    return m && fs.existsSync(path.join(modelsDir(stateDir), name, 'version.json')) ? [Number(m[1])] : [];
  });
  return versions.sort((a, b) => a - b);
}

/** Reads `version.json` of a version folder, checking its format. */
export async function readVersionInfo(dir: string): Promise<ModelVersionInfo> {
  let info: ModelVersionInfo;
  try {
    info = JSON.parse(await fs.promises.readFile(path.join(dir, 'version.json'), 'utf8')) as ModelVersionInfo;
  } catch (error) {
    throw new Error(`not a model version folder (${path.join(dir, 'version.json')}: ${(error as Error).message})`);
  }
  if (info.version !== MODEL_VERSION_FORMAT) throw new Error(`${dir}: model format version ${String(info.version)} is not supported (expected ${MODEL_VERSION_FORMAT})`);
  return info;
}

/** The newest version of a dataset, or undefined when none was trained. */
export async function latestVersion(stateDir: string): Promise<ModelVersion | undefined> {
  const versions = await listVersions(stateDir);
  if (versions.length === 0) return undefined;
  const dir = path.join(modelsDir(stateDir), `v${versions[versions.length - 1]}`);
  return { dir, info: await readVersionInfo(dir) };
}

/** Loads the head of a version folder; the caller disposes it. */
export async function loadHead(dir: string): Promise<tf.LayersModel> {
  return loadModelFromDir(dir);
}

/**
 * Saves a new version `v(N+1)`: written into a temporary folder and renamed into place, so a reader never
 * sees a half-written version and two concurrent trainings get different numbers.
 */
export async function saveVersion(stateDir: string, head: tf.LayersModel, info: Omit<ModelVersionInfo, 'version' | 'modelVersion' | 'createdAt'>): Promise<ModelVersion> {
  const root = modelsDir(stateDir);
  await fs.promises.mkdir(root, { recursive: true });
  const tmp = path.join(root, `.tmp-${process.pid}-${Date.now()}`);
  await fs.promises.mkdir(tmp);
  try {
    await saveModelToDir(head, tmp);
    for (let attempt = 0; attempt < 100; attempt++) {
      const versions = await listVersions(stateDir);
      const modelVersion = (versions[versions.length - 1] ?? 0) + 1;
      const full: ModelVersionInfo = { version: MODEL_VERSION_FORMAT, modelVersion, createdAt: new Date().toISOString(), ...info };
      await fs.promises.writeFile(path.join(tmp, 'version.json'), `${JSON.stringify(full, null, 2)}\n`);
      const dir = path.join(root, `v${modelVersion}`);
      try {
        await fs.promises.rename(tmp, dir);
        return { dir, info: full };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      }
    }
    throw new Error(`could not allocate a model version number in ${root}`);
  } catch (error) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
