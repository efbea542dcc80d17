// Seconds per fine-tuning step (last K=1 block + head, batch 16) on wasm, and optionally on cpu for comparison.
// Part of `npm run bench`; alone: node out/bench/fineTune.js [--steps N] [--cpu-steps N] [--backbone DIR]
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../src/ml/backbone';
import { initEngine } from '../src/ml/engine';
import { cutPointModel, fineTune, splitBackboneAtBlock } from '../src/ml/fineTune';
import { createHead } from '../src/ml/head';
import { registerWasmGradientKernels } from '../src/ml/kernels';
import { BACKBONE_DIR, requireShared } from '../test/support/shared';
import { runBenchmark } from './lib/child';
import { median } from './lib/stats';

const BLOCKS = 1;
const BATCH_SIZE = 16;

interface StepTiming {
  steps: number;
  secondsPerStep: number;
  slowestSecondsPerStep: number;
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
  return { steps, secondsPerStep: median(durations) ?? NaN, slowestSecondsPerStep: Math.max(...durations) };
}

runBenchmark('fineTune', async ({ quick, options }) => {
  const backboneDir = options.get('backbone') ?? requireShared(BACKBONE_DIR);
  const wasmSteps = Number(options.get('steps') ?? (quick ? 3 : 10));
  // A cpu step takes minutes on 2 cores; measured only when asked (`--cpu-steps 1`).
  const cpuSteps = Number(options.get('cpu-steps') ?? 0);

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
  let cpu: StepTiming | null = null;
  if (cpuSteps > 0) {
    await tf.setBackend('cpu');
    cpu = await timeSteps(backbone.model, activations as tf.Tensor4D, cpuSteps);
  }
  return {
    metrics: {
      'fineTune.wasm.secondsPerStep': wasm.secondsPerStep,
      'fineTune.wasm.slowestSecondsPerStep': wasm.slowestSecondsPerStep,
      ...(cpu ? { 'fineTune.cpu.secondsPerStep': cpu.secondsPerStep } : {}),
    },
    inputs: { backbone: backbone.id, cutLayerName, blocks: BLOCKS, batchSize: BATCH_SIZE, cutShape: activations.shape.slice(1), simd: engine.simd, wasmSteps, cpuSteps },
    notes: cpu ? [] : ['fine-tuning on the pure-JS cpu backend is not timed by default (minutes per step here); pass --cpu-steps 1'],
  };
});
