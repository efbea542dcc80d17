// Seconds per fine-tuning step (last K=1 block + head, batch 16) on wasm, and on cpu for comparison. Prints JSON.
// Build and run:
//   npx esbuild bench/fineTune.ts --bundle --platform=node --format=cjs --external:@tensorflow/* --outfile=out/bench/fineTune.js
//   node out/bench/fineTune.js [backboneDir] [wasmSteps] [cpuSteps]
// backboneDir defaults to $XRAY_SHARED/models/mobilenet_v2_0.35_224, else ../shared/models/... beside the project.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../src/ml/backbone';
import { initEngine } from '../src/ml/engine';
import { cutPointModel, fineTune, splitBackboneAtBlock } from '../src/ml/fineTune';
import { createHead } from '../src/ml/head';
import { registerWasmGradientKernels } from '../src/ml/kernels';

const BLOCKS = 1;
const BATCH_SIZE = 16;

interface StepTiming {
  steps: number;
  secondsPerStep: number;
  slowestSecondsPerStep: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `steps + 1` one-step epochs through `fineTune` and times the epochs after the first (warm-up). */
async function timeSteps(backbone: tf.LayersModel, activations: tf.Tensor4D, steps: number): Promise<StepTiming> {
  const featureDim = backbone.outputs[0].shape[3] as number;
  const head = createHead(featureDim, 3, 0.2, 1);
  const labels = Array.from({ length: BATCH_SIZE }, (_, i) => i % 3);
  const ends: number[] = [];
  const result = await fineTune(
    { backbone, head, train: { activations, labels } },
    { blocks: BLOCKS, batchSize: BATCH_SIZE, epochs: steps + 1 },
    { onEpochEnd: () => { ends.push(performance.now()); } },
  );
  result.tail.dispose();
  result.head.dispose();
  head.dispose();
  const durations = ends.slice(1).map((end, i) => (end - ends[i]) / 1000);
  return { steps, secondsPerStep: median(durations), slowestSecondsPerStep: Math.max(...durations) };
}

async function main(): Promise<void> {
  const sharedDir = process.env.XRAY_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
  const backboneDir = process.argv[2] ?? path.join(sharedDir, 'models', 'mobilenet_v2_0.35_224');
  const wasmSteps = Number(process.argv[3] ?? 10);
  const cpuSteps = Number(process.argv[4] ?? 1);

  const engine = await initEngine(['wasm']);
  if (engine.backend !== 'wasm') throw new Error(`the wasm backend did not load (got ${engine.backend})`);
  registerWasmGradientKernels();
  const backbone = await loadBackbone(backboneDir);
  const { cutLayerName, tail } = await splitBackboneAtBlock(backbone.model, BLOCKS);
  tail.dispose();
  const trunk = cutPointModel(backbone.model, cutLayerName);
  const images = tf.randomUniform([BATCH_SIZE, backbone.inputSize[0], backbone.inputSize[1], 3], -1, 1, 'float32', 1);
  const [activations, features] = trunk.predict(images) as tf.Tensor[];
  tf.dispose([images, features]);

  const wasm = await timeSteps(backbone.model, activations as tf.Tensor4D, wasmSteps);
  await tf.setBackend('cpu');
  const cpu = await timeSteps(backbone.model, activations as tf.Tensor4D, cpuSteps);
  console.log(JSON.stringify({
    backbone: backbone.id,
    cutLayerName,
    blocks: BLOCKS,
    batchSize: BATCH_SIZE,
    cutShape: activations.shape.slice(1),
    wasm: { simd: engine.simd, ...wasm },
    cpu,
    target: { secondsPerStep: 1 },
  }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
