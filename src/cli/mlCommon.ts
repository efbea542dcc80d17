// What the train, predict, evaluate, report and audit commands share: choosing the backbone, opening an ML session on a
// dataset, progress on stderr, and writing JSON.
import * as path from 'node:path';
import { writeAtomically } from '../dataset/atomicFile';
import { userCacheDir } from '../dataset/userCache';
import { BUILTIN_BACKBONE } from '../ml/builtinBackbone';
import { backboneLocation } from '../ml/modelVersions';
import type { ModelVersion } from '../ml/modelVersions';
import { MlSession } from '../ml/session';
import type { MlProgress } from '../ml/session';
import { UsageError } from './command';

/** Environment variable naming the default backbone (folder or URL) when neither `--backbone` nor a model names one. */
export const BACKBONE_ENV = 'XRAY_CURATOR_BACKBONE';

/**
 * `--backbone`, else `own` (the backbone a model version, or the dataset's previous version, was trained with: the
 * environment must not swap a model's features), else the environment variable, else the built-in backbone.
 */
export function chooseBackbone(given: string | undefined, own?: string): string {
  return given || own || process.env[BACKBONE_ENV] || BUILTIN_BACKBONE;
}

/** Progress lines on stderr, at most one per second per phase. */
export function stderrProgress(): (progress: MlProgress) => void {
  let last = 0;
  let lastPhase = '';
  return (p) => {
    const now = Date.now();
    if (p.phase === lastPhase && now - last < 1000 && p.done < p.total) return;
    last = now;
    lastPhase = p.phase;
    process.stderr.write(`${p.phase} ${p.done}/${p.total}\n`);
  };
}

export function openSession(datasetRoot: string, backbone: string, sha256: string | undefined, cacheFile?: string): Promise<MlSession> {
  return MlSession.open(datasetRoot, { backbone, sha256, cacheDir: userCacheDir(), cacheFile });
}

/** The options of the commands that run a trained model version. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  files: { type: 'string' },
  backbone: { type: 'string' },
  'backbone-sha256': { type: 'string' },
  out: { type: 'string' },
} as const;

/**
 * Runs `use` with a session on the backbone a model version was trained with (its own folder for a fine-tuned
 * version; only `--backbone` relocates it), pinned to that backbone's digest, and closes the session.
 */
export async function withModelSession<T>(
  datasetRoot: string,
  model: ModelVersion,
  given: { backbone?: string; 'backbone-sha256'?: string },
  use: (session: MlSession) => Promise<T>,
): Promise<T> {
  const session = await openSession(datasetRoot, chooseBackbone(given.backbone, backboneLocation(model)), given['backbone-sha256'] ?? model.info.backbone.digest);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

/** The facts every trained version records, single- or multi-label. */
interface TrainedVersion {
  dir: string;
  info: { modelVersion: number; parent: number | null; backbone: { id: string }; trainedOn: unknown; warmStarted: unknown; bestEpoch: number; metrics: unknown };
}

/** Prints what `train` reports of a new version: `fields` are the kind's own (its classes, or its findings). */
export function printTrained(session: MlSession, trained: TrainedVersion, outputVersion: number, fields: Record<string, unknown>): void {
  const { info } = trained;
  const output = {
    version: outputVersion,
    ...fields,
    modelVersion: info.modelVersion,
    dir: trained.dir,
    parent: info.parent,
    backbone: info.backbone.id,
    engine: session.info.engine,
    trainedOn: info.trainedOn,
    warmStarted: info.warmStarted,
    bestEpoch: info.bestEpoch,
    metrics: info.metrics,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeAtomically(path.resolve(file), `${JSON.stringify(value, null, 2)}\n`);
}

/** Parses an integer option of at least `min` (default 1: positive), as a usage error otherwise. */
export function intOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be an integer, got ${value}`);
  if (n < min) throw new UsageError(`--${name} must be ${min === 1 ? 'a positive integer' : `an integer of at least ${min}`}, got ${value}`);
  return n;
}
