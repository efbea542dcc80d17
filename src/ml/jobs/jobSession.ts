// What the dataset jobs share: an ML session opened for the job, and progress mapped onto the job's share of work.
import { MlSession } from '../session';
import type { EmbeddableItem, MlProgress } from '../session';
import type { JobContext } from './jobContext';
import type { DatasetJobParams, ScoreSummary } from './datasetJobs';

/** Runs `run` with an ML session on `backbone` (the configured one, or a fine-tuned version's own). */
export async function withSession<T>(params: DatasetJobParams, backbone: string, ctx: JobContext, run: (session: MlSession) => Promise<T>): Promise<T> {
  ctx.progress({ message: 'loading the backbone' });
  const configured = backbone === params.backbone;
  const session = await MlSession.open(params.root, {
    backbone,
    sha256: configured ? params.backboneSha256 : undefined,
    cacheDir: params.cacheDir,
  });
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

const PHASE_NAMES: Record<MlProgress['phase'], string> = { embed: 'embedding images', train: 'training the head', predict: 'predicting' };

/** Maps the engine's per-phase counts onto the job's share of work between `from` and `to`. */
export function progressReporter(ctx: JobContext, to: number, from = 0): (progress: MlProgress) => void {
  return ({ phase, done, total }) => {
    const share = total > 0 ? done / total : 0;
    ctx.progress({ message: `${PHASE_NAMES[phase]} ${done}/${total}`, fraction: from + (to - from) * share });
  };
}

export function engineName(session: MlSession): string {
  const { backend, simd } = session.info.engine;
  return simd ? `${backend} (SIMD)` : backend;
}

/** Score Dataset before any model exists: every item embedded (cached for the first training), none predicted. */
export async function embedOnly(session: MlSession, items: readonly EmbeddableItem[], ctx: JobContext): Promise<ScoreSummary> {
  const { errors } = await session.embedItems(items, { signal: ctx.signal, onProgress: progressReporter(ctx, 1) });
  const unreadable = errors.filter(Boolean).length;
  return { items: items.length, embedded: items.length - unreadable, unreadable, modelVersion: null, predicted: 0, backend: engineName(session) };
}
