// Multi-label model versions in `<dataset state>/models-multilabel/vN/`: the head (tfjs layers model: dropout,
// dense sigmoid), `version.json` and `validation.json`. A folder of their own, so the single-label readers of
// `models/` never meet a version without classes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FindingState } from '../../dataset/multilabel/types';
import type { BackboneRecord } from '../modelVersions';
import type { MultiLabelTrainConfig } from './config';
import type { MultiLabelEvaluation, ThresholdMethod } from './findingMetrics';
import type { SigmoidEpochLog } from './trainSigmoidHead';
import { versionNumbersIn } from '../versionFolders';

/** Format version of `version.json` and `validation.json`. */
export const MULTILABEL_VERSION_FORMAT = 1;
export const MULTILABEL_KIND = 'multilabel';
export const VALIDATION_FILE = 'validation.json';

export interface MultiLabelVersionInfo {
  version: typeof MULTILABEL_VERSION_FORMAT;
  kind: typeof MULTILABEL_KIND;
  modelVersion: number;
  parent: number | null;
  createdAt: string;
  /** The head's outputs, in order. */
  findings: string[];
  /** Findings of the dataset not trained, and why (too few positives, none on one side of the split). */
  leftOut: { finding: string; positives: number; reason: string }[];
  /** Decision threshold per finding (same order), chosen on the validation side or fixed; null when undefined. */
  thresholds: (number | null)[];
  thresholdMethod: ThresholdMethod;
  positiveWeights: number[];
  backbone: BackboneRecord;
  trainConfig: MultiLabelTrainConfig;
  /** sha256 over the sorted `(content hash, states of the trained findings)` lines. */
  labelsFingerprint: string;
  trainedOn: {
    train: number;
    validation: number;
    /** `dataset`: the items' own split metadata; `iterative`: patient-grouped iterative stratification. */
    split: 'dataset' | 'iterative';
    groupedBy: string | null;
    /** Labels per finding that counted in the loss, and those left out by the uncertainty policy. */
    perFinding: Record<string, { positives: number; negatives: number; ignored: number }>;
  };
  /** Findings whose weights started from the parent version. */
  warmStarted: string[];
  bestEpoch: number;
  history: SigmoidEpochLog[];
  /** Per-finding metrics on the validation side. */
  metrics: MultiLabelEvaluation;
}

export interface MultiLabelVersion {
  dir: string;
  info: MultiLabelVersionInfo;
}

/** The validation items, their probabilities (finding order) and labels, for reports and label issues. */
export interface MultiLabelValidation {
  version: typeof MULTILABEL_VERSION_FORMAT;
  findings: string[];
  ids: string[];
  probs: number[][];
  states: FindingState[][];
}

export function multiLabelModelsDir(stateDir: string): string {
  return path.join(stateDir, 'models-multilabel');
}

/** Whether `dir` holds a multi-label version (its `version.json` says `kind: "multilabel"`). */
export async function isMultiLabelVersionDir(dir: string): Promise<boolean> {
  const text = await fs.promises.readFile(path.join(dir, 'version.json'), 'utf8').catch(() => null);
  try {
    return text !== null && (JSON.parse(text) as { kind?: string }).kind === MULTILABEL_KIND;
  } catch {
    return false;
  }
}

export async function readMultiLabelVersion(dir: string): Promise<MultiLabelVersion> {
  const file = path.join(dir, 'version.json');
  let info: MultiLabelVersionInfo;
  try {
    info = JSON.parse(await fs.promises.readFile(file, 'utf8')) as MultiLabelVersionInfo;
  } catch (error) {
    throw new Error(`not a model version folder (${file}: ${(error as Error).message})`);
  }
  if (info.kind !== MULTILABEL_KIND) throw new Error(`${dir} is not a multi-label model version`);
  if (info.version !== MULTILABEL_VERSION_FORMAT) throw new Error(`${dir}: multi-label model format version ${String(info.version)} is not supported (expected ${MULTILABEL_VERSION_FORMAT})`);
  return { dir: path.resolve(dir), info };
}

/** Every multi-label version of a dataset, oldest first. */
export async function multiLabelVersions(stateDir: string): Promise<MultiLabelVersionInfo[]> {
  const root = multiLabelModelsDir(stateDir);
  const numbers = await versionNumbersIn(root);
  return Promise.all(numbers.map(async (n) => (await readMultiLabelVersion(path.join(root, `v${n}`))).info));
}

/** The newest multi-label version of a dataset, or undefined. */
export async function latestMultiLabelVersion(stateDir: string): Promise<MultiLabelVersion | undefined> {
  const root = multiLabelModelsDir(stateDir);
  const last = (await versionNumbersIn(root)).at(-1);
  return last === undefined ? undefined : readMultiLabelVersion(path.join(root, `v${last}`));
}

export async function readMultiLabelValidation(dir: string): Promise<MultiLabelValidation> {
  const parsed = JSON.parse(await fs.promises.readFile(path.join(dir, VALIDATION_FILE), 'utf8')) as MultiLabelValidation;
  if (parsed.version !== MULTILABEL_VERSION_FORMAT || parsed.ids.length !== parsed.probs.length) throw new Error(`${path.join(dir, VALIDATION_FILE)}: not a valid validation file`);
  return parsed;
}
