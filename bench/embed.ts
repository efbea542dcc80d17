// Embedding throughput (file read + decode + preprocessing + backbone, all workers) on one engine, against the
// reference pipeline (sharp + onnxruntime-node, `../shared/bench/ort-reference.sh`) measured in the same
// benchmark run on the same images; plus where the time goes on one thread (decode vs forward).
// Usage: node out/bench/embed.js [--engine wasm|cpu|tensorflow] [--images N] [--workers N] [--batch B] [--quick]
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fetchBackbone, loadBackbone } from '../src/ml/backbone';
import { EmbedPool } from '../src/ml/embedPool';
import { initEngine } from '../src/ml/engine';
import type { BackendName } from '../src/ml/engine';
import { compileFrozenForward } from '../src/ml/frozenForward';
import { decodeToInput } from '../src/ml/preprocess';
import { BACKBONE_DIR, SHARED_DIR, requireShared } from '../test/support/shared';
import { progress, runBenchmark } from './lib/child';
import { cxrWorkCopy, listImages, sampledDataset } from './lib/workspace';

interface ReferenceResult {
  images: number;
  pipelineImgPerSec: number;
  backboneImgPerSec: number;
  seconds: number;
}

/** Runs the reference script on every image of `dataset`; its last stdout line is its JSON result. */
function runReference(dataset: string): ReferenceResult {
  const script = path.join(SHARED_DIR, 'bench', 'ort-reference.sh');
  const out = execFileSync('bash', [script, dataset], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ReferenceResult;
}

/** Single-thread cost split: decode vs backbone forward (BatchNorm-folded fast path and plain), ms per image. */
async function profile(files: string[], batch: number): Promise<Record<string, number>> {
  const backbone = await loadBackbone(requireShared(BACKBONE_DIR));
  const [h, w] = backbone.inputSize;
  const start = performance.now();
  for (const f of files) await decodeToInput(f, w, h);
  const decodeMs = (performance.now() - start) / files.length;
  const { forward } = compileFrozenForward(backbone.model);
  const x = tf.randomUniform([batch, h, w, 3], -1, 1) as tf.Tensor4D;
  const time = (run: () => tf.Tensor): number => {
    tf.dispose(run());
    const t = performance.now();
    for (let i = 0; i < 2; i++) {
      const y = run();
      y.dataSync();
      y.dispose();
    }
    return (performance.now() - t) / (2 * batch);
  };
  const forwardMs = forward ? time(() => forward.apply(x)) : NaN;
  const plainForwardMs = time(() => backbone.model.predict(x) as tf.Tensor);
  tf.dispose(x);
  forward?.dispose();
  backbone.model.dispose();
  return { decodeMs, forwardMs, plainForwardMs };
}

function hasTfjsNode(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

runBenchmark('embed', async ({ quick, work, options }) => {
  const engine = (options.get('engine') ?? 'wasm') as BackendName;
  const key = `embed.${engine}`;
  if (engine === 'tensorflow' && !hasTfjsNode()) {
    return {
      metrics: { [`${key}.imgPerSec`]: null, [`${key}.referenceImgPerSec`]: null, [`${key}.ratio`]: null },
      inputs: { engine },
      notes: ['tfjs-node (the optional native backend) is not installed here, so that engine was not measured'],
    };
  }
  const full = cxrWorkCopy(work);
  const total = listImages(full).length;
  const count = Math.min(total, Number(options.get('images') ?? total));
  const dataset = count === total ? full : sampledDataset(work, full, `embed-${count}`, count);
  const files = listImages(dataset).map((rel) => path.join(dataset, rel));
  const workers = Number(options.get('workers') ?? Math.min(4, os.availableParallelism()));
  const batchSize = Number(options.get('batch') ?? 16);

  progress('embed', `${engine}: reference on ${files.length} images`);
  const reference = runReference(dataset);
  progress('embed', `${engine}: ours on ${files.length} images, ${workers} workers`);
  const pool = await EmbedPool.create(await fetchBackbone(requireShared(BACKBONE_DIR)), { workers, batchSize, prefer: [engine] });
  if (pool.info.engine.backend !== engine) throw new Error(`asked for ${engine}, the workers run ${pool.info.engine.backend}`);
  const start = performance.now();
  const result = await pool.embed(files.map((file) => ({ path: file })));
  const seconds = (performance.now() - start) / 1000;
  const info = pool.info;
  await pool.close();
  const errors = result.errors.filter((e) => e !== null).length;
  if (errors) throw new Error(`${errors} images failed to embed`);
  const imgPerSec = files.length / seconds;

  await initEngine([engine]);
  const split = quick && engine !== 'wasm' ? null : await profile(files.slice(0, quick ? 48 : 200), batchSize);
  return {
    metrics: {
      [`${key}.imgPerSec`]: imgPerSec,
      [`${key}.referenceImgPerSec`]: reference.pipelineImgPerSec,
      [`${key}.ratio`]: imgPerSec / reference.pipelineImgPerSec,
      ...(split ? { [`${key}.decodeMsPerImage`]: split.decodeMs, [`${key}.forwardMsPerImage`]: split.forwardMs } : {}),
    },
    inputs: {
      engine: info.engine,
      fastPath: info.fastPath,
      images: files.length,
      imagesFrom: count === total ? 'all of cxr' : `every ${(total / count).toFixed(1)}th image of cxr`,
      workers,
      batchSize,
      reference: { ...reference, intraOpThreads: os.availableParallelism() },
      loadAverage: +os.loadavg()[0].toFixed(2),
    },
    details: split ? { singleThreadMsPerImage: split } : undefined,
  };
});
