// Entry of the worker thread that runs one job (see runJob.ts). Bundled to dist/jobWorker.js.
import { parentPort, workerData } from 'node:worker_threads';
import { JobCancelledError } from './jobContext';
import type { FromJobWorker, JobStart, ToJobWorker } from './jobProtocol';
import { JOBS } from './jobTable';

const port = parentPort;
if (!port) throw new Error('jobWorker must run in a worker thread');
const post = (message: FromJobWorker): void => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: ToJobWorker) => {
  if (message.type === 'cancel') controller.abort();
});

async function main(): Promise<void> {
  const { kind, params } = workerData as JobStart;
  const job = Object.prototype.hasOwnProperty.call(JOBS, kind) ? JOBS[kind] : undefined;
  if (!job) throw new Error(`unknown job ${kind}`);
  const result = await job(params, { signal: controller.signal, progress: (progress) => post({ type: 'progress', progress }) });
  post({ type: 'done', result });
}

main().catch((error: unknown) => {
  const cancelled = error instanceof JobCancelledError || controller.signal.aborted;
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), cancelled });
});
