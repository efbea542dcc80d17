// Fine-tuning step of a training run (the paper's second phase): the last K backbone blocks and the head are
// trained at a low learning rate (`fineTune.ts`) on activations cut before those blocks, computed here once
// per image on this thread. Returns the fine-tuned backbone and head, and the validation probabilities.
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from './backbone';
import { cutPointModel, fineTune, splitBackboneAtBlock, withTailWeights } from './fineTune';
import type { ClassActivations, CutActivations, FindingActivations } from './fineTune';
import { registerWasmGradientKernels } from './kernels';
import { decodeToInput, scaleToInput } from './preprocess';
import type { FineTuneFields } from './config';
import type { MlSession, RunOptions } from './session';

/** Images per trunk forward pass. */
const BATCH = 16;

/** The images of one side and their targets: class indices, or finding targets with their mask and weights. */
export type FineTuneSide = { paths: readonly string[] } & (Omit<ClassActivations, 'activations'> | Omit<FindingActivations, 'activations'>);

export interface FineTuneRun {
  backboneDir: string;
  backboneDigest: string;
  /** The head trained on frozen features (class softmax or findings sigmoid): the starting point. Not modified. */
  head: tf.LayersModel;
  blocks: number;
  seed: number;
  learningRate: number;
  epochs: number;
  train: FineTuneSide;
  validation: FineTuneSide;
  signal?: AbortSignal;
  onProgress?: (phase: 'embed' | 'train', done: number, total: number) => void;
}

export interface FineTunedModel {
  /** The whole backbone with the fine-tuned blocks; the caller disposes it. */
  backbone: tf.LayersModel;
  /** The fine-tuned head; the caller disposes it. */
  head: tf.LayersModel;
  /** `validation.paths.length × outputs` probabilities (classes or findings) of the fine-tuned model. */
  validationProbs: Float32Array;
  epochs: number;
}

/** Activations at the cut for every image, as one tensor (the caller disposes it). */
async function cutActivations(trunk: tf.LayersModel, side: FineTuneSide, inputSize: [number, number], run: FineTuneRun, done: number, total: number): Promise<CutActivations> {
  const [height, width] = inputSize;
  const pixels = height * width * 3;
  const parts: tf.Tensor4D[] = [];
  try {
    for (let start = 0; start < side.paths.length; start += BATCH) {
      if (run.signal?.aborted) throw Object.assign(new Error('fine-tuning cancelled'), { name: 'AbortError' });
      const paths = side.paths.slice(start, start + BATCH);
      const input = new Float32Array(paths.length * pixels);
      for (let i = 0; i < paths.length; i++) scaleToInput(await decodeToInput(paths[i], width, height), input, i * pixels);
      parts.push(tf.tidy(() => (trunk.predict(tf.tensor4d(input, [paths.length, height, width, 3])) as tf.Tensor[])[0] as tf.Tensor4D));
      run.onProgress?.('embed', done + start + paths.length, total);
    }
    const { paths: _paths, ...targets } = side;
    return { ...targets, activations: tf.concat(parts, 0) };
  } finally {
    tf.dispose(parts);
  }
}

/** Fine-tunes `run.blocks` backbone blocks with the head (softmax or sigmoid); every intermediate tensor is released. */
export async function trainFineTuned(run: FineTuneRun): Promise<FineTunedModel> {
  const base = await loadBackbone(run.backboneDir, { sha256: run.backboneDigest });
  if (tf.getBackend() === 'wasm') registerWasmGradientKernels();
  const split = await splitBackboneAtBlock(base.model, run.blocks);
  const trunk = cutPointModel(base.model, split.cutLayerName);
  const total = run.train.paths.length + run.validation.paths.length;
  let train: CutActivations | undefined;
  let validation: CutActivations | undefined;
  try {
    train = await cutActivations(trunk, run.train, base.inputSize, run, 0, total);
    validation = await cutActivations(trunk, run.validation, base.inputSize, run, run.train.paths.length, total);
    let epochsDone = 0;
    const result = await fineTune(
      { backbone: base.model, head: run.head, train, validation },
      { blocks: run.blocks, seed: run.seed, learningRate: run.learningRate, epochs: run.epochs },
      { signal: run.signal, onEpochEnd: () => run.onProgress?.('train', ++epochsDone, run.epochs) },
    );
    try {
      const { tail, head } = result;
      const validationProbs = tf.tidy(() => (head.predict(tf.mean(tail.predict(validation!.activations) as tf.Tensor4D, [1, 2])) as tf.Tensor).dataSync() as Float32Array);
      const backbone = await withTailWeights(base.model, tail);
      return { backbone, head, validationProbs, epochs: result.history.length };
    } finally {
      result.tail.dispose();
    }
  } finally {
    tf.dispose([train?.activations, validation?.activations].filter((t): t is tf.Tensor4D => t !== undefined));
    split.tail.dispose();
    base.model.dispose();
  }
}

/** The fine-tuning phase of a training run: `config`'s blocks, learning rate and epochs on the session's backbone. */
export function fineTunePhase(
  session: Pick<MlSession, 'backbone'>,
  head: tf.LayersModel,
  config: FineTuneFields & { seed: number },
  sides: Pick<FineTuneRun, 'train' | 'validation'>,
  options: RunOptions,
): Promise<FineTunedModel> {
  return trainFineTuned({
    backboneDir: session.backbone.dir,
    backboneDigest: session.backbone.digest,
    head,
    blocks: config.fineTuneBlocks,
    seed: config.seed,
    learningRate: config.fineTuneLearningRate,
    epochs: config.fineTuneEpochs,
    ...sides,
    signal: options.signal,
    onProgress: (phase, done, total) => options.onProgress?.({ phase, done, total }),
  });
}
