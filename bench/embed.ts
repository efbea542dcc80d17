// `npm run bench` part for the ML engine: embedding throughput (decode included) against the reference
// pipeline measured in the same run, where the time goes (decode vs forward), and the head retrain budget.
// Prints one JSON object. Usage: node out/bench/embed.js [DATASET] [--workers N] [--batch B] [--skip-reference]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fetchBackbone, loadBackbone } from '../src/ml/backbone';
import { resolveTrainConfig } from '../src/ml/config';
import { EmbedPool } from '../src/ml/embedPool';
import { initEngine } from '../src/ml/engine';
import { compileFrozenForward } from '../src/ml/frozenForward';
import { predictProbabilities, summarize } from '../src/ml/predict';
import { decodeToInput } from '../src/ml/preprocess';
import { trainHead } from '../src/ml/trainHead';
import { BACKBONE_DIR, CXR_DIR, SHARED_DIR, requireShared } from '../test/support/shared';

const IMAGE = /\.(png|jpe?g|webp)$/i;

function listImages(dir: string): { path: string; label: string }[] {
  const out: { path: string; label: string }[] = [];
  for (const label of fs.readdirSync(dir).sort()) {
    const sub = path.join(dir, label);
    if (!fs.statSync(sub).isDirectory() || label.startsWith('.')) continue;
    for (const name of fs.readdirSync(sub).sort()) if (IMAGE.test(name)) out.push({ path: path.join(sub, name), label });
  }
  return out;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function reference(dataset: string): unknown {
  const script = path.join(SHARED_DIR, 'bench', 'ort-reference.sh');
  const lines = execFileSync('bash', [script, dataset], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Single-thread cost split: sharp decode vs backbone forward (frozen fast path), ms per image. */
async function profile(files: string[], batch: number): Promise<{ decodeMs: number; forwardMs: number; plainForwardMs: number }> {
  const backbone = await loadBackbone(requireShared(BACKBONE_DIR));
  const [h, w] = backbone.inputSize;
  let t = performance.now();
  for (const f of files) await decodeToInput(f, w, h);
  const decodeMs = (performance.now() - t) / files.length;
  const { forward } = compileFrozenForward(backbone.model);
  const x = tf.randomUniform([batch, h, w, 3], -1, 1) as tf.Tensor4D;
  const time = (run: () => tf.Tensor): number => {
    tf.dispose(run());
    const start = performance.now();
    for (let i = 0; i < 3; i++) {
      const y = run();
      y.dataSync();
      y.dispose();
    }
    return (performance.now() - start) / (3 * batch);
  };
  const forwardMs = time(() => forward!.apply(x));
  const plainForwardMs = time(() => backbone.model.predict(x) as tf.Tensor);
  tf.dispose(x);
  forward!.dispose();
  backbone.model.dispose();
  return { decodeMs: +decodeMs.toFixed(2), forwardMs: +forwardMs.toFixed(2), plainForwardMs: +plainForwardMs.toFixed(2) };
}

/** Retrain (warm start) on 10,000 embeddings after a few relabels, then predict all of them. */
async function headRetrain(vectors: Float32Array, labels: number[], dim: number): Promise<Record<string, number | boolean>> {
  const n = 10_000;
  const features = new Float32Array(n * dim);
  const y = new Int32Array(n);
  let seed = 1;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.05;
  for (let i = 0; i < n; i++) {
    const src = i % labels.length;
    for (let j = 0; j < dim; j++) features[i * dim + j] = vectors[src * dim + j] + noise();
    y[i] = labels[src];
  }
  const nTrain = 8_000;
  const split = (a: number, b: number): { features: Float32Array; labels: Int32Array } => ({ features: features.subarray(a * dim, b * dim), labels: y.subarray(a, b) });
  const config = resolveTrainConfig({ augmentViews: 0 });
  const numClasses = Math.max(...labels) + 1;
  const before = tf.memory().numTensors;
  let t = performance.now();
  const first = await trainHead({ featureDim: dim, numClasses, train: split(0, nTrain), validation: split(nTrain, n), config });
  const coldMs = performance.now() - t;
  for (let i = 0; i < 20; i++) y[i * 37] = (y[i * 37] + 1) % numClasses; // a few relabels
  t = performance.now();
  const second = await trainHead({ featureDim: dim, numClasses, train: split(0, nTrain), validation: split(nTrain, n), config, parent: first.head });
  const probs = predictProbabilities(second.head, features, dim);
  const classes = Array.from({ length: numClasses }, (_, k) => String(k));
  for (let i = 0; i < n; i++) summarize(String(i), probs.subarray(i * numClasses, (i + 1) * numClasses), classes);
  const warmMs = performance.now() - t;
  first.head.dispose();
  second.head.dispose();
  return { items: n, coldTrainMs: Math.round(coldMs), retrainAndPredictMs: Math.round(warmMs), warmEpochs: second.history.length, noTensorLeak: tf.memory().numTensors === before };
}

async function main(): Promise<void> {
  const dataset = path.resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : requireShared(CXR_DIR));
  const images = listImages(dataset);
  const workers = Number(option('workers') ?? Math.min(4, os.availableParallelism()));
  const batchSize = Number(option('batch') ?? 16);
  const engine = await initEngine();
  const ref = process.argv.includes('--skip-reference') ? null : (reference(dataset) as { pipelineImgPerSec: number });

  const backbone = await fetchBackbone(requireShared(BACKBONE_DIR));
  const pool = await EmbedPool.create(backbone, { workers, batchSize });
  const t = performance.now();
  const result = await pool.embed(images.map((i) => ({ path: i.path })));
  const seconds = (performance.now() - t) / 1000;
  await pool.close();
  const imgPerSec = images.length / seconds;

  const classNames = [...new Set(images.map((i) => i.label))];
  const retrain = await headRetrain(result.vectors, images.map((i) => classNames.indexOf(i.label)), pool.info.featureDim);
  const split = await profile(images.slice(0, 200).map((i) => i.path), batchSize);
  const report = {
    version: 1,
    dataset,
    images: images.length,
    cores: os.availableParallelism(),
    loadAverage: os.loadavg()[0],
    engine: pool.info.engine,
    mainEngine: engine,
    fastPath: pool.info.fastPath,
    workers,
    batchSize,
    embedImgPerSec: +imgPerSec.toFixed(1),
    embedErrors: result.errors.filter((e) => e !== null).length,
    reference: ref,
    ratioToReference: ref ? +(imgPerSec / ref.pipelineImgPerSec).toFixed(2) : null,
    singleThreadMsPerImage: split,
    headRetrain: retrain,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/embed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
