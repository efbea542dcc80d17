// Fine-tunes the last K inverted-residual blocks of a MobileNetV2-style backbone together with the classifier head,
// from activations cached at the input of block (last − K + 1), so a step runs only the last K blocks and the head.
import * as tf from '@tensorflow/tfjs';

export interface FineTuneConfig {
  /** K, the number of last backbone blocks to train (1 … number of blocks). Default 1. */
  blocks: number;
  /** Adam learning rate; low, so the pretrained filters move only a little. Default 1e-5. */
  learningRate: number;
  /** Passes over the training activations. Default 5. */
  epochs: number;
  /** Images per step. Default 16. */
  batchSize: number;
  /** Seed of the batch order. Default 42. */
  seed: number;
}

export const DEFAULT_FINE_TUNE_CONFIG: Readonly<FineTuneConfig> = {
  blocks: 1,
  learningRate: 1e-5,
  epochs: 5,
  batchSize: 16,
  seed: 42,
};

/** Cached activations at the cut point (`[n, h, w, c]`, see {@link cutPointModel}) and what the model should output. */
export type CutActivations = ClassActivations | FindingActivations;

/** For a softmax head: each image's class index (categorical cross-entropy). */
export interface ClassActivations {
  activations: tf.Tensor4D;
  labels: readonly number[];
}

/**
 * For a sigmoid (findings) head: `n × k` targets (1 positive, 0 negative) and the mask of the labels that count,
 * row-major as a multi-label `LabelMatrix` holds them. The loss is binary cross-entropy over the counted labels, each
 * finding's positives weighted by `positiveWeights` (as the head was trained).
 */
export interface FindingActivations {
  activations: tf.Tensor4D;
  targets: Float32Array;
  mask: Float32Array;
  positiveWeights: readonly number[];
}

export interface FineTuneInputs {
  /** The full backbone; it is not modified (the trained blocks are copies). */
  backbone: tf.LayersModel;
  /** The head: pooled `[featureDim]` embedding → class probabilities (softmax) or finding probabilities (sigmoid). Not modified. */
  head: tf.LayersModel;
  /** Activations cached at the cut of `splitBackboneAtBlock(backbone, config.blocks)`. */
  train: CutActivations;
  /** Held-out activations, scored after every epoch. */
  validation?: CutActivations;
}

export interface FineTuneEpochLogs {
  epoch: number;
  /** Mean training cross-entropy over the epoch's steps. */
  loss: number;
  /** Validation cross-entropy, and accuracy for a class head, when validation data was given. */
  valLoss?: number;
  valAccuracy?: number;
}

export interface FineTuneOptions {
  onEpochEnd?: (logs: FineTuneEpochLogs) => void | Promise<void>;
  /** Aborting stops between steps; `fineTune` then rejects and keeps nothing. */
  signal?: AbortSignal;
}

export interface FineTuneResult {
  cutLayerName: string;
  blocks: number;
  /** The trained last K blocks: cut activations → backbone output (same layer names as the backbone). */
  tail: tf.LayersModel;
  /** The trained head. */
  head: tf.LayersModel;
  history: FineTuneEpochLogs[];
}

export interface BackboneSplit {
  /** The layer whose output is the input of the first trained block; cache its activations per image. */
  cutLayerName: string;
  /** An independent copy of the layers from the cut to the backbone output, BatchNorm layers frozen. */
  tail: tf.LayersModel;
}

interface LayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, Record<string, unknown>][][];
}

interface FunctionalModelJson {
  class_name: string;
  config: { name: string; layers: LayerJson[]; input_layers: unknown[]; output_layers: [string, number, number][] };
}

/** The `modelTopology` a layers model serialises to and is rebuilt from. */
type ModelTopology = Extract<Parameters<typeof tf.models.modelFromJSON>[0], { modelTopology: unknown }>['modelTopology'];

const BLOCK_NAME = /^block_(\d+)_/;

/** Number of the last inverted-residual block (`block_N_*` layers); 16 for Keras' MobileNetV2 at any width. */
function lastBlockNumber(backbone: tf.LayersModel): number {
  let last = 0;
  for (const layer of backbone.layers) {
    const match = BLOCK_NAME.exec(layer.name);
    if (match) last = Math.max(last, Number(match[1]));
  }
  if (last === 0) throw new Error('backbone has no block_N_* layers; fine-tuning needs a Keras MobileNetV2-style backbone');
  return last;
}

function functionalJson(model: tf.LayersModel): FunctionalModelJson {
  const json = model.toJSON(null, false) as unknown as FunctionalModelJson;
  if (!Array.isArray(json.config?.layers) || !Array.isArray(json.config.output_layers)) {
    throw new Error(`backbone "${model.name}" is not a functional model`);
  }
  return json;
}

function inboundNames(layer: LayerJson): string[] {
  if (layer.inbound_nodes.length > 1) throw new Error(`backbone layer ${layer.name} is shared; such backbones cannot be split`);
  return (layer.inbound_nodes[0] ?? []).map((ref) => ref[0]);
}

/** Builds a model from JSON and gives it the weights of the same-named layers of `source`. */
async function modelWithWeightsOf(topology: ModelTopology, source: tf.LayersModel): Promise<tf.LayersModel> {
  const model = await tf.models.modelFromJSON({ modelTopology: topology });
  for (const layer of model.layers) {
    if (layer.weights.length > 0) layer.setWeights(source.getLayer(layer.name).getWeights());
  }
  return model;
}

/**
 * Splits the backbone at the input of block (last − k + 1): returns the name of the layer whose output is cached and an
 * independent copy of everything after it. BatchNorm layers of the copy are frozen (`trainable = false`); fine-tuning
 * also runs them in inference mode, so their moving statistics never change.
 */
export async function splitBackboneAtBlock(backbone: tf.LayersModel, k: number): Promise<BackboneSplit> {
  const last = lastBlockNumber(backbone);
  if (!Number.isInteger(k) || k < 1 || k > last) {
    throw new Error(`blocks to fine-tune must be an integer from 1 to ${last}, got ${k}`);
  }
  const json = functionalJson(backbone);
  const firstLayerName = `block_${last - k + 1}_expand`;
  const first = json.config.layers.find((layer) => layer.name === firstLayerName);
  if (!first) throw new Error(`backbone has no layer ${firstLayerName}`);
  const [cutLayerName] = inboundNames(first);

  const inTail = new Set<string>();
  const tailLayers: LayerJson[] = [];
  for (const layer of json.config.layers) {
    const inputs = inboundNames(layer);
    const fromCut = inputs.filter((name) => name === cutLayerName || inTail.has(name));
    if (fromCut.length === 0) continue;
    if (fromCut.length !== inputs.length) {
      throw new Error(`layer ${layer.name} also reads from before ${cutLayerName}; the backbone cannot be cut there`);
    }
    inTail.add(layer.name);
    tailLayers.push(layer);
  }
  const outputs = json.config.output_layers;
  if (!outputs.every(([name]) => inTail.has(name))) {
    throw new Error(`the backbone output does not depend on ${cutLayerName}; cannot cut there`);
  }

  const inputName = `${cutLayerName}_cut_input`;
  const cutShape = backbone.getLayer(cutLayerName).outputShape as (number | null)[];
  const rename = (name: string): string => (name === cutLayerName ? inputName : name);
  const tailJson: FunctionalModelJson = {
    class_name: 'Model',
    config: {
      name: `${backbone.name}_tail_${k}`,
      layers: [
        { name: inputName, class_name: 'InputLayer', config: { batch_input_shape: cutShape, dtype: 'float32', sparse: false, name: inputName }, inbound_nodes: [] },
        ...tailLayers.map((layer) => ({
          ...layer,
          inbound_nodes: layer.inbound_nodes.map((node) => node.map(([name, n, t, kw]) => [rename(name), n, t, kw] as [string, number, number, Record<string, unknown>])),
        })),
      ],
      input_layers: [[inputName, 0, 0]],
      output_layers: outputs,
    },
  };
  const tail = await modelWithWeightsOf(tailJson as unknown as ModelTopology, backbone);
  for (const layer of tail.layers) {
    if (layer.getClassName() === 'BatchNormalization') layer.trainable = false;
  }
  return { cutLayerName, tail };
}

/** The backbone with two outputs, `[activations at cutLayerName, backbone output]`, to cache both in one pass. */
export function cutPointModel(backbone: tf.LayersModel, cutLayerName: string): tf.LayersModel {
  const cut = backbone.getLayer(cutLayerName).output as tf.SymbolicTensor;
  return tf.model({ inputs: backbone.inputs, outputs: [cut, backbone.outputs[0]] });
}

/** A copy of the backbone carrying the fine-tuned weights of `tail`, to save as the backbone of a model version. */
export async function withTailWeights(backbone: tf.LayersModel, tail: tf.LayersModel): Promise<tf.LayersModel> {
  const copy = await modelWithWeightsOf(backbone.toJSON(null, false) as ModelTopology, backbone);
  for (const layer of tail.layers) {
    if (layer.weights.length > 0) copy.getLayer(layer.name).setWeights(layer.getWeights());
  }
  return copy;
}

function resolveConfig(config: Partial<FineTuneConfig>): FineTuneConfig {
  const resolved = { ...DEFAULT_FINE_TUNE_CONFIG, ...config };
  const positiveInteger = (name: keyof FineTuneConfig): void => {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1) throw new Error(`fine-tune ${name} must be a positive integer, got ${resolved[name]}`);
  };
  positiveInteger('blocks');
  positiveInteger('epochs');
  positiveInteger('batchSize');
  if (!(resolved.learningRate > 0 && Number.isFinite(resolved.learningRate))) {
    throw new Error(`fine-tune learningRate must be a positive number, got ${resolved.learningRate}`);
  }
  if (!Number.isInteger(resolved.seed)) throw new Error(`fine-tune seed must be an integer, got ${resolved.seed}`);
  return resolved;
}

function checkData(what: string, data: CutActivations, tail: tf.LayersModel, outputs: number): void {
  const expected = tail.inputs[0].shape.slice(1);
  const actual = data.activations.shape.slice(1);
  if (data.activations.rank !== 4 || actual.some((size, i) => size !== expected[i])) {
    throw new Error(`${what} activations have shape [n, ${actual.join(', ')}], the cut needs [n, ${expected.join(', ')}]`);
  }
  const n = data.activations.shape[0];
  if (n === 0) throw new Error(`${what} is empty`);
  if ('labels' in data) {
    if (data.labels.length !== n) throw new Error(`${what} has ${n} activations but ${data.labels.length} labels`);
    const bad = data.labels.find((label) => !Number.isInteger(label) || label < 0 || label >= outputs);
    if (bad !== undefined) throw new Error(`${what} label ${bad} is not a class index below ${outputs}`);
    return;
  }
  if (data.targets.length !== n * outputs || data.mask.length !== n * outputs) {
    throw new Error(`${what} has ${n} activations but ${data.targets.length / outputs} rows of ${outputs} finding targets`);
  }
  if (data.positiveWeights.length !== outputs) throw new Error(`${what} has ${data.positiveWeights.length} positive weights for ${outputs} findings`);
}

/** Seeded Fisher–Yates shuffle (mulberry32), so a seed reproduces the batch order. */
function shuffledIndices(count: number, seed: number, epoch: number): Int32Array {
  let state = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Class probabilities. The tail always runs in inference mode (frozen BatchNorm); the head's dropout follows `training`. */
function predict(tail: tf.LayersModel, head: tf.LayersModel, activations: tf.Tensor4D, training: boolean): tf.Tensor2D {
  const features = tail.apply(activations, { training: false }) as tf.Tensor4D;
  return head.apply(tf.mean(features, [1, 2]), { training }) as tf.Tensor2D;
}

/** Probabilities are clipped this far from 0 and 1 before the logarithm (Keras' epsilon). */
const EPSILON = 1e-7;

/** The loss of a batch of probabilities for the images `rows` of `data`. */
function batchLoss(probabilities: tf.Tensor2D, data: CutActivations, rows: Int32Array): tf.Scalar {
  const outputs = probabilities.shape[1];
  if ('labels' in data) {
    const labels = tf.oneHot(tf.tensor1d(Array.from(rows, (i) => data.labels[i]), 'int32'), outputs);
    return tf.mean(tf.metrics.categoricalCrossentropy(labels, probabilities)) as tf.Scalar;
  }
  const pick = (values: Float32Array): tf.Tensor2D => {
    const out = new Float32Array(rows.length * outputs);
    rows.forEach((i, r) => out.set(values.subarray(i * outputs, (i + 1) * outputs), r * outputs));
    return tf.tensor2d(out, [rows.length, outputs]);
  };
  const y = pick(data.targets);
  const mask = pick(data.mask);
  const p = tf.clipByValue(probabilities, EPSILON, 1 - EPSILON);
  const positive = y.mul(tf.tensor1d([...data.positiveWeights])).mul(tf.log(p));
  const negative = tf.onesLike(y).sub(y).mul(tf.log(tf.onesLike(p).sub(p)));
  return positive.add(negative).neg().mul(mask).sum().div(tf.maximum(mask.sum(), 1)) as tf.Scalar;
}

function rangeOf(start: number, size: number): Int32Array {
  return Int32Array.from({ length: size }, (_, i) => start + i);
}

function evaluate(tail: tf.LayersModel, head: tf.LayersModel, data: CutActivations, batchSize: number): { loss: number; accuracy?: number } {
  let lossSum = 0;
  let correct = 0;
  const count = data.activations.shape[0];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const [loss, hits] = tf.tidy(() => {
      const rows = rangeOf(start, size);
      const probabilities = predict(tail, head, data.activations.slice(start, size), false);
      const classes = 'labels' in data ? tf.tensor1d(Array.from(rows, (i) => data.labels[i]), 'int32') : undefined;
      return [batchLoss(probabilities, data, rows).mul(size), classes ? tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, 1), classes), 'int32')) : tf.scalar(0, 'int32')];
    });
    lossSum += (loss.dataSync() as Float32Array)[0];
    correct += (hits.dataSync() as Int32Array)[0];
    tf.dispose([loss, hits]);
  }
  return 'labels' in data ? { loss: lossSum / count, accuracy: correct / count } : { loss: lossSum / count };
}

/**
 * Trains the last `config.blocks` backbone blocks and the head with Adam on cached cut activations, on the loss of
 * the head's kind (see {@link CutActivations}). BatchNorm layers
 * keep their moving statistics and affine parameters; every other weight of those blocks (convolution kernels) and the
 * head's weights train. Returns trained copies; the caller owns and disposes them.
 */
export async function fineTune(inputs: FineTuneInputs, config: Partial<FineTuneConfig> = {}, options: FineTuneOptions = {}): Promise<FineTuneResult> {
  const settings = resolveConfig(config);
  const { cutLayerName, tail } = await splitBackboneAtBlock(inputs.backbone, settings.blocks);
  const head = await modelWithWeightsOf(inputs.head.toJSON(null, false) as ModelTopology, inputs.head);
  const optimizer = tf.train.adam(settings.learningRate);
  try {
    const outputs = head.outputs[0].shape[1];
    const featureDim = tail.outputs[0].shape[3];
    if (typeof outputs !== 'number' || head.outputs[0].shape.length !== 2) throw new Error('head must output [batch, classes] probabilities');
    if (head.inputs[0].shape[1] !== featureDim) {
      throw new Error(`head takes ${head.inputs[0].shape[1]} features but the backbone pools ${featureDim}`);
    }
    checkData('training data', inputs.train, tail, outputs);
    if (inputs.validation) checkData('validation data', inputs.validation, tail, outputs);

    const variables = [...tail.trainableWeights, ...head.trainableWeights].map((weight) => weight.read() as tf.Variable);
    const history: FineTuneEpochLogs[] = [];
    const count = inputs.train.activations.shape[0];
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = shuffledIndices(count, settings.seed, epoch);
      let lossSum = 0;
      for (let start = 0; start < count; start += settings.batchSize) {
        if (options.signal?.aborted) throw new Error('fine-tuning was cancelled');
        const batch = order.subarray(start, Math.min(start + settings.batchSize, count));
        const cost = tf.tidy(() => {
          const activations = tf.gather(inputs.train.activations, tf.tensor1d(batch, 'int32'));
          return optimizer.minimize(() => batchLoss(predict(tail, head, activations, true), inputs.train, batch), true, variables) as tf.Scalar;
        });
        lossSum += cost.dataSync()[0] * batch.length;
        tf.dispose(cost);
        // Let progress messages and cancellation through between steps.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const logs: FineTuneEpochLogs = { epoch, loss: lossSum / count };
      if (inputs.validation) {
        const scores = evaluate(tail, head, inputs.validation, settings.batchSize);
        logs.valLoss = scores.loss;
        if (scores.accuracy !== undefined) logs.valAccuracy = scores.accuracy;
      }
      history.push(logs);
      await options.onEpochEnd?.(logs);
    }
    return { cutLayerName, blocks: settings.blocks, tail, head, history };
  } catch (error) {
    tail.dispose();
    head.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
