// Messages between a caller (the extension host, tests) and the vector-service worker, which holds one dataset's
// cached embeddings and its similarity index between requests.
import type { NextStrategy } from '../nextQueue/rankNext';
import type { HashedItem } from './cachedVectors';

/** What the worker gets at start (as `workerData`). */
export interface VectorServiceStart {
  root: string;
  /** The dataset's items as the caller holds them: rows are made for those with a cached embedding. */
  items: HashedItem[];
}

export interface SimilarQuery {
  type: 'similar';
  id: string;
  k: number;
}

export interface NextQuery {
  type: 'next';
  strategy: NextStrategy;
  k: number;
  /** Items that may be queued, and the labelled ones (the seeds of the diversity strategies). */
  candidates: string[];
  labelled: string[];
  /** A multi-label dataset: uncertainty comes from its findings model. */
  multiLabel: boolean;
}

export interface MapQuery {
  type: 'map';
}

export type VectorQuery = SimilarQuery | NextQuery | MapQuery;

/** How much of the dataset the vectors cover: every answer says it. */
export interface Coverage {
  /** Items with a cached embedding (the rows). */
  indexed: number;
  /** Items without one (not scored yet, unreadable). */
  missing: number;
}

export interface SimilarAnswer extends Coverage {
  type: 'similar';
  neighbours: { id: string; similarity: number }[];
  /** The index scans a projection first (above 20,000 rows). */
  approximate: boolean;
}

export interface NextAnswer extends Coverage {
  type: 'next';
  items: { id: string; score: number }[];
  /** The predictions the uncertainty came from, or null (`diversity`). */
  modelVersion: number | null;
  /** Candidates left out: no embedding, or not scored by that model. */
  skipped: number;
}

export interface MapAnswer extends Coverage {
  type: 'map';
  ids: string[];
  /** Per id, as Float32Array (transferred). */
  x: Float32Array;
  y: Float32Array;
  /** Read from the state folder's map cache. */
  cached: boolean;
}

export type VectorAnswer = SimilarAnswer | NextAnswer | MapAnswer;

export type ToVectorWorker = { requestId: number; query: VectorQuery };

export type FromVectorWorker =
  | { requestId: number; answer: VectorAnswer }
  | { requestId: number; error: string }
  | { requestId: number; progress: string };
