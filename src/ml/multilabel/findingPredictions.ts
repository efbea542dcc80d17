// The probabilities a multi-label version gave every item of a dataset (`<state>/predictions/findings-vN.json`),
// beside the single-label `vN.json` files and named apart from them. No TensorFlow.js here: the extension host
// reads these files without loading the engine.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../../dataset/atomicFile';
import { predictionsDir } from '../predictionFiles';

/** Format version of the findings predictions JSON. */
export const FINDING_PREDICTIONS_VERSION = 1;

export interface FindingPredictionsFile {
  version: typeof FINDING_PREDICTIONS_VERSION;
  kind: 'findings';
  modelVersion: number;
  /** The version's findings: the order of every item's `probs`. */
  findings: string[];
  /** Each finding's threshold (called positive at or above it); null when the version could not choose one. */
  thresholds: (number | null)[];
  /** Probabilities rounded to 4 decimals (the gallery shows whole percents). */
  items: { id: string; probs: number[] }[];
  /** Items that could not be read, with the reason. */
  errors: { id: string; error: string }[];
}

const NAME = /^findings-v(\d+)\.json$/;

export function findingPredictionsPath(root: string, modelVersion: number): string {
  return path.join(predictionsDir(root), `findings-v${modelVersion}.json`);
}

export async function writeFindingPredictions(root: string, file: Omit<FindingPredictionsFile, 'version' | 'kind'>): Promise<string> {
  const target = findingPredictionsPath(root, file.modelVersion);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const rounded = { version: FINDING_PREDICTIONS_VERSION, kind: 'findings', ...file, items: file.items.map(({ id, probs }) => ({ id, probs: probs.map((p) => Math.round(p * 1e4) / 1e4) })) };
  await writeAtomically(target, JSON.stringify(rounded));
  return target;
}

/**
 * The newest version's findings predictions; undefined when none were written or when the newest is `shown`
 * (e.g. `v2`, checked on the file names before a large file is parsed). A damaged file throws.
 */
export async function latestFindingPredictions(root: string, shown?: string): Promise<FindingPredictionsFile | undefined> {
  const names = await fs.readdir(predictionsDir(root)).catch(() => [] as string[]);
  const newest = names.map((name) => Number(NAME.exec(name)?.[1])).filter((n) => Number.isInteger(n)).sort((a, b) => b - a)[0];
  if (newest === undefined || `v${newest}` === shown) return undefined;
  const file = findingPredictionsPath(root, newest);
  const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<FindingPredictionsFile>;
  const valid =
    parsed.version === FINDING_PREDICTIONS_VERSION &&
    parsed.kind === 'findings' &&
    Array.isArray(parsed.findings) &&
    Array.isArray(parsed.thresholds) &&
    parsed.thresholds.length === parsed.findings.length &&
    Array.isArray(parsed.items) &&
    parsed.items.every((item) => typeof item?.id === 'string' && Array.isArray(item.probs) && item.probs.length === parsed.findings!.length);
  if (!valid) throw new Error(`${file}: not a findings predictions file of format version ${FINDING_PREDICTIONS_VERSION}`);
  return parsed as FindingPredictionsFile;
}
