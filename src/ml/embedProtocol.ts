// Messages between the embedding pool (main thread) and its worker threads.
import type { AugmentParams } from './augment';
import type { BackendName, EngineInfo } from './engine';

/** Passed as `workerData` when a worker starts. */
export interface EmbedWorkerInit {
  /** Local backbone folder and its digest (checked again in the worker). */
  backboneDir: string;
  backboneDigest: string;
  prefer?: BackendName[];
}

export interface EmbedTask {
  path: string;
  /** Warp applied after decoding, for an augmented view. */
  augment?: AugmentParams;
}

export type ToEmbedWorker = { type: 'embed'; jobId: number; tasks: EmbedTask[] };

export type FromEmbedWorker =
  | { type: 'ready'; engine: EngineInfo; featureDim: number; inputSize: [number, number]; fastPath: boolean }
  /** `vectors` holds `tasks.length × featureDim` floats; a failed task has zeros and a message in `errors`. */
  | { type: 'result'; jobId: number; vectors: Float32Array; errors: (string | null)[] }
  | { type: 'fatal'; message: string };
