// What training, prediction and evaluation share for one dataset: the backbone, the worker pool and the
// dataset's embedding cache. Open one per dataset and close it when done (it owns worker threads).
import { stateDirOf } from '../dataset/userCache';
import { augmentTag, sampleAugmentation } from './augment';
import { fetchBackbone } from './backbone';
import type { BackboneFiles, LoadBackboneOptions } from './backbone';
import type { AugmentConfig } from './config';
import { EmbeddingCache } from './embeddingCache';
import { embedWithCache } from './embedder';
import type { EmbedRequest } from './embedder';
import { EmbedPool } from './embedPool';
import { initEngine } from './engine';
import type { EmbedPoolOptions, PoolInfo } from './embedPool';
import type { BackboneRecord } from './modelStore';
import { PREPROCESS_VERSION } from './preprocess';

/** The item fields the ML engine reads (a `DatasetItem` has them all). */
export interface EmbeddableItem {
  id: string;
  absPath: string;
  hash: string | null;
  error?: string;
}

export interface MlProgress {
  phase: 'embed' | 'train' | 'predict';
  done: number;
  total: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: MlProgress) => void;
}

export interface MlSessionOptions extends Pick<LoadBackboneOptions, 'sha256' | 'cacheDir'>, EmbedPoolOptions {
  /** Backbone folder or `https://` URL of its `model.json`. */
  backbone: string;
  /** The embedding-cache file new vectors go to (a shard's own `vectors.<name>.bin`); default `vectors.bin`. */
  cacheFile?: string;
}

export interface ItemFeatures {
  /** `items.length × featureDim` floats; zero rows where `errors[i]` is set. */
  features: Float32Array;
  /** Per item: why it has no embedding (no hash, unreadable image), or null. */
  errors: (string | null)[];
}

/** The state folder of a dataset root (re-exported: the ML code's callers find it here). */
export { stateDirOf };

export class MlSession {
  private constructor(
    readonly stateDir: string,
    readonly backbone: BackboneFiles & { location: string },
    readonly pool: EmbedPool,
    readonly cache: EmbeddingCache,
  ) {}

  /** Also initialises TensorFlow.js on this thread, where the head trains and predicts. */
  static async open(datasetRoot: string, options: MlSessionOptions): Promise<MlSession> {
    await initEngine(options.prefer);
    const backbone = await fetchBackbone(options.backbone, options);
    const pool = await EmbedPool.create(backbone, options);
    try {
      const stateDir = stateDirOf(datasetRoot);
      const { featureDim, inputSize } = pool.info;
      const cache = await EmbeddingCache.open(stateDir, { backboneId: backbone.id, inputSize, preprocessVersion: PREPROCESS_VERSION, featureDim }, { appendTo: options.cacheFile });
      return new MlSession(stateDir, { ...backbone, location: options.backbone }, pool, cache);
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  get info(): PoolInfo {
    return this.pool.info;
  }

  get featureDim(): number {
    return this.pool.info.featureDim;
  }

  /** What a model version records about the backbone its features came from. */
  backboneRecord(): BackboneRecord {
    return {
      id: this.backbone.id,
      digest: this.backbone.digest,
      location: this.backbone.location,
      inputSize: this.pool.info.inputSize,
      featureDim: this.featureDim,
      preprocessVersion: PREPROCESS_VERSION,
      fineTunedBlocks: 0,
    };
  }

  /** Embeddings of the items themselves (cached after the first time). */
  embedItems(items: readonly EmbeddableItem[], options: RunOptions = {}): Promise<ItemFeatures> {
    return this.embed(items.map((item) => ({ item, view: '' })), options);
  }

  /** `views` augmented views of each item, view by view: row `i * views + (v - 1)` is view v of item i. */
  embedAugmented(items: readonly EmbeddableItem[], views: number, config: AugmentConfig, seed: number, options: RunOptions = {}): Promise<ItemFeatures> {
    const tag = augmentTag(config, seed);
    const requests = items.flatMap((item) => Array.from({ length: views }, (_, v) => ({ item, view: `aug:${tag}:${v + 1}`, config, seed, index: v + 1 })));
    return this.embed(requests, options);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async embed(
    requests: readonly { item: EmbeddableItem; view: string; config?: AugmentConfig; seed?: number; index?: number }[],
    options: RunOptions,
  ): Promise<ItemFeatures> {
    const usable = requests.flatMap((r, i) => (r.item.hash && !r.item.error ? [i] : []));
    const embedRequests: EmbedRequest[] = usable.map((i) => {
      const r = requests[i];
      const hash = r.item.hash!;
      const augment = r.config && r.seed !== undefined && r.index !== undefined ? sampleAugmentation(r.config, hash, r.index, r.seed) : undefined;
      return { hash, path: r.item.absPath, view: r.view, augment };
    });
    const result = await embedWithCache(embedRequests, this.cache, this.pool, {
      signal: options.signal,
      onProgress: (p) => options.onProgress?.({ phase: 'embed', ...p }),
    });
    const dim = this.featureDim;
    const features = new Float32Array(requests.length * dim);
    const errors: (string | null)[] = requests.map((r) => r.item.error ?? (r.item.hash ? null : 'file could not be read (no content hash)'));
    usable.forEach((i, k) => {
      errors[i] = result.errors[k];
      features.set(result.vectors.subarray(k * dim, (k + 1) * dim), i * dim);
    });
    return { features, errors };
  }
}
