import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { JobCancelledError } from './jobContext';
import type { FromJobWorker, JobProgress, JobStart, ToJobWorker } from './jobProtocol';

/** How long a cancelled job may take to stop by itself before its thread is terminated. */
const CANCEL_GRACE_MS = 5_000;

export interface RunJobOptions {
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
}

/**
 * Runs one job in its own worker thread, so the caller's thread (the extension host) never blocks on ML work.
 * The worker file sits beside this module: `dist/jobWorker.js` in the bundle, `out/src/ml/jobs/jobWorker.js` in tests.
 */
export function runJob<T>(kind: string, params: unknown, options: RunJobOptions = {}): Promise<T> {
  const start: JobStart = { kind, params };
  const worker = new Worker(path.join(__dirname, 'jobWorker.js'), { workerData: start });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const onAbort = (): void => {
      worker.postMessage({ type: 'cancel' } satisfies ToJobWorker);
      killTimer = setTimeout(() => finish(() => reject(new JobCancelledError())), CANCEL_GRACE_MS);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromJobWorker) => {
      switch (message.type) {
        case 'progress':
          options.onProgress?.(message.progress);
          break;
        case 'done':
          finish(() => resolve(message.result as T));
          break;
        case 'failed':
          finish(() => reject(message.cancelled ? new JobCancelledError() : new Error(message.message)));
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the ${kind} worker stopped unexpectedly (exit ${code})`))));
  });
}
