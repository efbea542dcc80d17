// Entry of the vector-service worker thread (see vectorService.ts). Bundled to dist/vectorWorker.js.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromVectorWorker, ToVectorWorker, VectorServiceStart } from './protocol';
import { initEngine } from '../engine';
import { VectorState } from './vectorState';

const port = parentPort;
if (!port) throw new Error('vectorWorker must run in a worker thread');
const post = (message: FromVectorWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const { root, items } = workerData as VectorServiceStart;
let current = 0;
const state = new VectorState(root, items, (progress) => post({ requestId: current, progress }));
// One query at a time, in arrival order: the first one loads what the next ones reuse. The wasm engine makes the
// projections of the index, the map and the diversity queue matrix products; without it they run as JS loops.
let chain: Promise<void> = initEngine(['wasm', 'cpu']).then(
  () => undefined,
  () => undefined,
);
port.on('message', ({ requestId, query }: ToVectorWorker) => {
  chain = chain.then(async () => {
    current = requestId;
    try {
      const answer = await state.answer(query);
      post({ requestId, answer }, answer.type === 'map' ? [answer.x.buffer as ArrayBuffer, answer.y.buffer as ArrayBuffer] : []);
    } catch (error) {
      post({ requestId, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
