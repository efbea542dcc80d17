// Reading model versions in `<dataset>/.xray-curator/models/vN/` (`version.json`, `validation.json`) without
// TensorFlow.js, so the extension host can list them cheaply; saving and loading models is in modelStore.ts.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isBuiltinLocation } from './builtinBackbone';
import type { TrainConfig } from './config';
import { versionNumbersIn } from './versionFolders';
import type { Evaluation } from './metrics';
import type { EpochLog } from './trainHead';

/** Format version of `version.json`. */
export const MODEL_VERSION_FORMAT = 1;

export interface BackboneRecord {
  id: string;
  digest: string;
  /**
   * `builtin:<name>` (shipped with the extension), or the folder or URL it was loaded from (the digest identifies
   * it); a relative path is inside the version folder (`backbone`: the fine-tuned backbone saved with the version).
   */
  location: string;
  /** Backbone blocks fine-tuned in this version (0: the backbone as loaded). */
  fineTunedBlocks: number;
  /** The backbone it was fine-tuned from, when `fineTunedBlocks > 0`. */
  fineTunedFrom?: { id: string; digest: string; location: string };
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
  trainedOn: {
    train: number;
    validation: number;
    augmentedViews: number;
    perClass: Record<string, number>;
    groupedBy: string | null;
    /** Group ids too large to be patients (e.g. a file-name prefix), not used to keep items together. */
    ignoredGroups?: { group: string; items: number }[];
  };
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

/** The held-out validation items of a version and its probabilities for them: what an honest report is made of. */
export interface ValidationPredictions {
  version: typeof MODEL_VERSION_FORMAT;
  ids: string[];
  /** Row i: class probabilities of `ids[i]`, in the version's class order. */
  probs: number[][];
}

export const VALIDATION_FILE = 'validation.json';

/** The validation predictions saved with a version; undefined for versions saved without them. */
export async function readValidation(dir: string): Promise<ValidationPredictions | undefined> {
  const text = await fs.promises.readFile(path.join(dir, VALIDATION_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as ValidationPredictions;
  if (parsed.version !== MODEL_VERSION_FORMAT || parsed.ids.length !== parsed.probs.length) throw new Error(`${path.join(dir, VALIDATION_FILE)}: not a valid validation file`);
  return parsed;
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
export function listVersions(stateDir: string): Promise<number[]> {
  return versionNumbersIn(modelsDir(stateDir));
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

/** Where to load a version's backbone from: built in, its folder or URL, resolving a path inside the version folder. */
export function backboneLocation(version: { dir: string; info: { backbone: Pick<BackboneRecord, 'location'> } }): string {
  const { location } = version.info.backbone;
  return isBuiltinLocation(location) || /^https?:\/\//i.test(location) || path.isAbsolute(location) ? location : path.join(version.dir, location);
}

