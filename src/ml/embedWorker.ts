// Worker-thread entry of the embedding pool: loads tfjs and the backbone once, then for each job decodes the
// images (sharp, off the JS thread) and runs the frozen backbone plus global average pooling in one batch.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { applyAugmentation } from './augment';
import { loadBackbone } from './backbone';
import type { Backbone } from './backbone';
import type { EmbedTask, EmbedWorkerInit, FromEmbedWorker, ToEmbedWorker } from './embedProtocol';
import { initEngine } from './engine';
import { compileFrozenForward } from './frozenForward';
import { decodeToInput, scaleToInput } from './preprocess';

type Decoded = { rgb: Uint8Array } | { error: string };

function post(message: FromEmbedWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

async function decode(task: EmbedTask, width: number, height: number): Promise<Decoded> {
  try {
    const rgb = await decodeToInput(task.path, width, height);
    return { rgb: task.augment ? applyAugmentation(rgb, width, height, task.augment) : rgb };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function main(): Promise<void> {
  const init = workerData as EmbedWorkerInit;
  // One libvips thread per worker: the pool itself supplies the parallelism.
  sharp.concurrency(1);
  sharp.cache(false);
  const engine = await initEngine(init.prefer);
  const backbone: Backbone = await loadBackbone(init.backboneDir, { sha256: init.backboneDigest });
  const { forward } = compileFrozenForward(backbone.model);
  const run = (x: tf.Tensor4D): tf.Tensor4D => (forward ? forward.apply(x) : (backbone.model.predict(x) as tf.Tensor4D));
  const [height, width] = backbone.inputSize;
  const pixels = height * width * 3;
  post({ type: 'ready', engine, featureDim: backbone.featureDim, inputSize: backbone.inputSize, fastPath: forward !== undefined });

  // Decoding of the next job starts as soon as it arrives, overlapping the current forward pass.
  let queue = Promise.resolve();
  parentPort!.on('message', (message: ToEmbedWorker) => {
    const decoded = Promise.all(message.tasks.map((task) => decode(task, width, height)));
    queue = queue.then(() => embedJob(message.jobId, decoded)).catch((error: unknown) => post({ type: 'fatal', message: (error as Error).message }));
  });

  async function embedJob(jobId: number, decoded: Promise<Decoded[]>): Promise<void> {
    const images = await decoded;
    const dim = backbone.featureDim;
    const ok = images.flatMap((d, i) => ('rgb' in d ? [i] : []));
    const vectors = new Float32Array(images.length * dim);
    if (ok.length > 0) {
      const input = new Float32Array(ok.length * pixels);
      ok.forEach((index, row) => scaleToInput((images[index] as { rgb: Uint8Array }).rgb, input, row * pixels));
      // Global average pooling of the feature map: the paper's GlobalAveragePooling2D.
      const pooled = tf.tidy(() => tf.mean(run(tf.tensor4d(input, [ok.length, height, width, 3])), [1, 2]));
      const data = pooled.dataSync() as Float32Array;
      pooled.dispose();
      ok.forEach((index, row) => vectors.set(data.subarray(row * dim, (row + 1) * dim), index * dim));
    }
    const errors = images.map((d) => ('error' in d ? d.error : null));
    post({ type: 'result', jobId, vectors, errors }, [vectors.buffer]);
  }
}

main().catch((error: unknown) => post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }));
