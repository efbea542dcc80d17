// Embeddings through the cache: only what the cache lacks goes to the worker pool, and every new vector is
// stored, so an image (or an augmented view of it) is embedded once.
import type { AugmentParams } from './augment';
import type { EmbeddingCache } from './embeddingCache';
import type { EmbedPool, EmbedRunOptions } from './embedPool';

/** Images per pool run between cache writes. */
const STORE_EVERY = 512;

export interface EmbedRequest {
  /** Content hash (sha256 hex) of the file. */
  hash: string;
  path: string;
  /** `''` for the image itself, else the augmented view's tag (see `augmentTag`). */
  view: string;
  augment?: AugmentParams;
}

export interface Embeddings {
  /** `requests.length × featureDim` floats in request order; zeros where `errors[i]` is set. */
  vectors: Float32Array;
  errors: (string | null)[];
  /** How many vectors had to be computed (the rest came from the cache). */
  computed: number;
}

/**
 * Returns one vector per request, computing the missing ones in `pool` (duplicates by content are embedded
 * once). Progress counts only the images that need computing.
 */
export async function embedWithCache(
  requests: readonly EmbedRequest[],
  cache: EmbeddingCache,
  pool: EmbedPool,
  options: EmbedRunOptions = {},
): Promise<Embeddings> {
  const dim = cache.space.featureDim;
  if (pool.info.featureDim !== dim) throw new Error(`the pool's backbone gives ${pool.info.featureDim} features, the cache holds ${dim}`);
  const vectors = new Float32Array(requests.length * dim);
  const errors: (string | null)[] = new Array(requests.length).fill(null);
  const missing = new Map<string, number[]>(); // hash\0view -> request indices
  requests.forEach((r, i) => {
    const cached = cache.get(r.hash, r.view);
    if (cached) {
      vectors.set(cached, i * dim);
      return;
    }
    const key = `${r.hash}\0${r.view}`;
    missing.set(key, [...(missing.get(key) ?? []), i]);
  });
  const groups = [...missing.values()];
  if (groups.length === 0) return { vectors, errors, computed: 0 };

  // Chunks are stored as they finish, so a cancelled run keeps what it already computed.
  for (let start = 0; start < groups.length; start += STORE_EVERY) {
    const chunk = groups.slice(start, start + STORE_EVERY);
    const tasks = chunk.map((indices) => ({ path: requests[indices[0]].path, augment: requests[indices[0]].augment }));
    const result = await pool.embed(tasks, {
      signal: options.signal,
      onProgress: (p) => options.onProgress?.({ done: start + p.done, total: groups.length }),
    });
    const fresh = chunk.flatMap((indices, t) => {
      const vector = result.vectors.subarray(t * dim, (t + 1) * dim);
      for (const i of indices) {
        errors[i] = result.errors[t];
        if (!result.errors[t]) vectors.set(vector, i * dim);
      }
      const first = requests[indices[0]];
      return result.errors[t] ? [] : [{ hash: first.hash, view: first.view, vector }];
    });
    await cache.putMany(fresh);
  }
  return { vectors, errors, computed: groups.length };
}
