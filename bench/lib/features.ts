// Cached embeddings of the working copy of cxr (or a list of it), which the head, audit and quality benchmarks
// start from, as the extension does after "Score Dataset". The first run embeds and caches; later runs read.
import * as path from 'node:path';
import { openDataset } from '../../src/dataset';
import type { DatasetItem } from '../../src/dataset';
import { MlSession } from '../../src/ml/session';
import type { EmbeddableItem } from '../../src/ml/session';
import { BACKBONE_DIR, requireShared } from '../../test/support/shared';
import { progress } from './child';
import { cxrWorkCopy } from './workspace';

export interface CachedFeatures {
  root: string;
  items: DatasetItem[];
  features: Float32Array;
  featureDim: number;
  /** How long getting the embeddings took (near zero once cached). */
  embedMs: number;
}

/** Opens a session on the cxr working copy with the engine the extension would pick; the caller closes it. */
export function openCxrSession(work: string): Promise<MlSession> {
  return MlSession.open(cxrWorkCopy(work), { backbone: requireShared(BACKBONE_DIR) });
}

/** Embeddings of `items` through `session`'s cache; throws if any item could not be embedded. */
export async function embedCached(session: MlSession, items: readonly EmbeddableItem[], what: string): Promise<{ features: Float32Array; ms: number }> {
  const start = performance.now();
  let last = 0;
  const result = await session.embedItems(items, {
    onProgress: ({ done, total }) => {
      if (done - last >= 250 || done === total) progress('features', `${what}: embedded ${(last = done)}/${total}`);
    },
  });
  const failed = result.errors.flatMap((error, i) => (error ? [`${items[i].id}: ${error}`] : []));
  if (failed.length) throw new Error(`${failed.length} images not embedded, e.g. ${failed[0]}`);
  return { features: result.features, ms: performance.now() - start };
}

/** The items of the cxr working copy (all of it, or the `list` file such as `paper-A.txt`) with their embeddings. */
export async function cxrFeatures(session: MlSession, work: string, list?: string): Promise<CachedFeatures> {
  const root = cxrWorkCopy(work);
  const dataset = await openDataset(root, list ? { files: path.join(root, list) } : {});
  const items = dataset.items.filter((item) => item.label !== null && !item.error);
  const { features, ms } = await embedCached(session, items, list ?? 'cxr');
  return { root, items, features, featureDim: session.featureDim, embedMs: ms };
}
