// A pool of worker threads that embeds images (decode + backbone forward pass) off the calling thread,
// with progress reports and cancellation.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackboneFiles } from './backbone';
import type { EmbedTask, EmbedWorkerInit, FromEmbedWorker, ToEmbedWorker } from './embedProtocol';
import type { BackendName, EngineInfo } from './engine';

export interface EmbedPoolOptions {
  /** Worker threads. Default: `os.availableParallelism()`, at most 4. */
  workers?: number;
  /** Images per job (one forward pass). Default `16`. */
  batchSize?: number;
  /** Backends to try in the workers. Default: tfjs-node, wasm, cpu. */
  prefer?: BackendName[];
}

export interface EmbedProgress {
  done: number;
  total: number;
}

export interface EmbedRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EmbedProgress) => void;
}

export interface EmbedResult {
  /** `tasks.length × featureDim` floats, row i for task i (zeros where the task failed). */
  vectors: Float32Array;
  /** Per task: why it failed, or null. */
  errors: (string | null)[];
}

/** What the workers reported when they started. */
export interface PoolInfo {
  engine: EngineInfo;
  featureDim: number;
  inputSize: [number, number];
  /** Whether the BatchNorm-folded inference path is in use (else plain `model.predict`). */
  fastPath: boolean;
  workers: number;
}

/** Jobs kept in flight per worker, so the next batch decodes while the current one runs the network. */
const JOBS_IN_FLIGHT = 2;

/** The worker script next to this module: `out/src/ml/` from tsc, `dist/` from the esbuild bundle. */
function workerScript(): string {
  return path.join(__dirname, 'embedWorker.js');
}

export class EmbedPool {
  private nextJobId = 1;
  private running: Promise<unknown> = Promise.resolve();
  private fatal: Error | undefined;
  private readonly listeners = new Set<(worker: Worker, message: FromEmbedWorker) => void>();

  private constructor(
    private readonly workers: Worker[],
    readonly info: PoolInfo,
    private readonly batchSize: number,
  ) {
    for (const worker of workers) {
      worker.on('message', (message: FromEmbedWorker) => {
        if (message.type === 'fatal') this.fail(worker, `embedding worker failed: ${message.message}`);
        else for (const listener of this.listeners) listener(worker, message);
      });
      worker.on('error', (error) => this.fail(worker, `embedding worker crashed: ${error.message}`));
      worker.on('exit', (code) => this.fail(worker, `embedding worker exited (code ${code})`));
    }
  }

  /** Marks the pool unusable and fails the run in progress; the first failure is the one reported. */
  private fail(worker: Worker, message: string): void {
    this.fatal ??= new Error(message);
    for (const listener of this.listeners) listener(worker, { type: 'fatal', message });
  }

  /** Starts the workers and waits until each has loaded the backbone. */
  static async create(backbone: BackboneFiles, options: EmbedPoolOptions = {}): Promise<EmbedPool> {
    const count = options.workers ?? Math.min(4, os.availableParallelism());
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer, got ${count}`);
    const batchSize = options.batchSize ?? 16;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const init: EmbedWorkerInit = { backboneDir: backbone.dir, backboneDigest: backbone.digest, prefer: options.prefer };
    const workers = Array.from({ length: count }, () => new Worker(workerScript(), { workerData: init }));
    try {
      const ready = await Promise.all(workers.map(waitReady));
      const first = ready[0];
      return new EmbedPool(workers, { engine: first.engine, featureDim: first.featureDim, inputSize: first.inputSize, fastPath: first.fastPath, workers: count }, batchSize);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
  }

  /** Embeds the tasks in order. Calls queue up: one run uses all workers at a time. */
  embed(tasks: readonly EmbedTask[], options: EmbedRunOptions = {}): Promise<EmbedResult> {
    const result = this.running.then(() => this.run(tasks, options));
    this.running = result.catch(() => undefined);
    return result;
  }

  /** Stops the workers; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.fatal ??= new Error('the embedding pool is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run(tasks: readonly EmbedTask[], options: EmbedRunOptions): Promise<EmbedResult> {
    const dim = this.info.featureDim;
    const vectors = new Float32Array(tasks.length * dim);
    const errors: (string | null)[] = new Array(tasks.length).fill(null);
    const chunks: number[] = [];
    for (let start = 0; start < tasks.length; start += this.batchSize) chunks.push(start);
    if (this.fatal) return Promise.reject(this.fatal);
    if (chunks.length === 0) return Promise.resolve({ vectors, errors });

    return new Promise<EmbedResult>((resolve, reject) => {
      const starts = new Map<number, number>(); // jobId -> first task index
      const inFlight = new Map<Worker, number>(this.workers.map((w) => [w, 0]));
      let next = 0;
      let done = 0;
      let finished = false;

      const finish = (error?: Error): void => {
        if (finished) return;
        finished = true;
        this.listeners.delete(onMessage);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve({ vectors, errors });
      };
      const dispatch = (worker: Worker): void => {
        while (!finished && next < chunks.length && inFlight.get(worker)! < JOBS_IN_FLIGHT) {
          const start = chunks[next++];
          const jobId = this.nextJobId++;
          starts.set(jobId, start);
          inFlight.set(worker, inFlight.get(worker)! + 1);
          const message: ToEmbedWorker = { type: 'embed', jobId, tasks: tasks.slice(start, start + this.batchSize) };
          worker.postMessage(message);
        }
      };
      const onMessage = (worker: Worker, message: FromEmbedWorker): void => {
        if (message.type === 'fatal') return finish(this.fatal ?? new Error(message.message));
        if (message.type !== 'result') return;
        const start = starts.get(message.jobId);
        if (start === undefined) return;
        starts.delete(message.jobId);
        inFlight.set(worker, inFlight.get(worker)! - 1);
        vectors.set(message.vectors, start * dim);
        message.errors.forEach((e, i) => (errors[start + i] = e));
        done += message.errors.length;
        options.onProgress?.({ done, total: tasks.length });
        if (done === tasks.length) return finish();
        dispatch(worker);
      };
      // Jobs already sent finish in their worker (under a second); their results are then ignored.
      const onAbort = (): void => finish(abortError(options.signal));

      if (options.signal?.aborted) return finish(abortError(options.signal));
      options.signal?.addEventListener('abort', onAbort);
      this.listeners.add(onMessage);
      for (const worker of this.workers) dispatch(worker);
    });
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : Object.assign(new Error('embedding cancelled'), { name: 'AbortError' });
}

function waitReady(worker: Worker): Promise<Extract<FromEmbedWorker, { type: 'ready' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromEmbedWorker): void => {
      if (message.type === 'ready') {
        cleanup();
        resolve(message);
      } else if (message.type === 'fatal') {
        cleanup();
        reject(new Error(`embedding worker could not start: ${message.message}`));
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new Error(`embedding worker could not start: ${error.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`embedding worker exited during start-up (code ${code})`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
