// The caller's side of the vector-service worker: one worker per open dataset, holding its cached embeddings and
// similarity index between queries ("more like this" at 400,000 items answers in tens of milliseconds once the index
// is built), so the extension host's thread never scans vectors. Close it to free the worker and its memory.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HashedItem } from './cachedVectors';
import type { FromVectorWorker, MapAnswer, MapQuery, NextAnswer, NextQuery, SimilarAnswer, SimilarQuery, ToVectorWorker, VectorAnswer, VectorQuery } from './protocol';

interface Pending {
  resolve(answer: VectorAnswer): void;
  reject(error: Error): void;
  progress?: (message: string) => void;
}

export class VectorService {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** `items` are the dataset's items now; a service answers for them until it is closed. */
  constructor(root: string, items: readonly HashedItem[]) {
    // Beside this module: `dist/vectorWorker.js` in the bundle, `out/src/ml/vectorService/vectorWorker.js` in tests.
    this.worker = new Worker(path.join(__dirname, 'vectorWorker.js'), { workerData: { root, items: items.map(({ id, hash }) => ({ id, hash })) } });
    this.worker.on('message', (message: FromVectorWorker) => {
      const waiter = this.pending.get(message.requestId);
      if (!waiter) return;
      if ('progress' in message) return waiter.progress?.(message.progress);
      this.pending.delete(message.requestId);
      if ('error' in message) waiter.reject(new Error(message.error));
      else waiter.resolve(message.answer);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(this.closed ? 'the vector service was closed' : `the vector service stopped unexpectedly (exit ${code})`)));
  }

  similar(query: Omit<SimilarQuery, 'type'>, progress?: (message: string) => void): Promise<SimilarAnswer> {
    return this.ask({ type: 'similar', ...query }, progress) as Promise<SimilarAnswer>;
  }

  next(query: Omit<NextQuery, 'type'>, progress?: (message: string) => void): Promise<NextAnswer> {
    return this.ask({ type: 'next', ...query }, progress) as Promise<NextAnswer>;
  }

  map(progress?: (message: string) => void): Promise<MapAnswer> {
    return this.ask({ type: 'map' } satisfies MapQuery, progress) as Promise<MapAnswer>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }

  private ask(query: VectorQuery, progress?: (message: string) => void): Promise<VectorAnswer> {
    if (this.closed) return Promise.reject(new Error('the vector service was closed'));
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, progress });
      this.worker.postMessage({ requestId, query } satisfies ToVectorWorker);
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
