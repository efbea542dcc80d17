import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../../../src/ml/backbone';
import { initEngine } from '../../../src/ml/engine';
import { compileFrozenForward } from '../../../src/ml/frozenForward';
import { BACKBONE_DIR, requireShared } from '../../support/shared';

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const value = (await d.data())[0];
  d.dispose();
  return value;
}

/** A small MobileNetV2-like block with non-square input, random BatchNorm statistics and a residual add. */
function tinyNet(): tf.LayersModel {
  const input = tf.input({ shape: [20, 14, 3] });
  const pad = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(input) as tf.SymbolicTensor;
  const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false }).apply(pad) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(conv) as tf.SymbolicTensor;
  const relu = tf.layers.reLU({ maxValue: 6 }).apply(bn) as tf.SymbolicTensor;
  const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(relu) as tf.SymbolicTensor;
  const dwBn = tf.layers.batchNormalization().apply(dw) as tf.SymbolicTensor;
  const dwRelu = tf.layers.reLU({ maxValue: 6 }).apply(dwBn) as tf.SymbolicTensor;
  const project = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: true }).apply(dwRelu) as tf.SymbolicTensor;
  const add = tf.layers.add().apply([project, relu]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: add });
  // Non-trivial BatchNorm statistics, so a wrong fold shows.
  for (const layer of model.layers) {
    if (layer.getClassName() === 'BatchNormalization') {
      layer.setWeights(layer.getWeights().map((w, i) => tf.add(tf.randomUniform(w.shape, 0.1, 1, 'float32', i), i === 3 ? 0.5 : 0)));
    }
  }
  return model;
}

describe('ml/frozenForward', function () {
  this.timeout(120_000);
  before(async () => {
    await initEngine();
  });

  it('matches model.predict on the shared MobileNetV2 and leaks nothing', async () => {
    const backbone = await loadBackbone(requireShared(BACKBONE_DIR));
    const before = tf.memory().numTensors;
    const { forward, reason } = compileFrozenForward(backbone.model);
    assert.equal(reason, undefined);
    const x = tf.randomUniform([2, 224, 224, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const expected = backbone.model.predict(x) as tf.Tensor4D;
    const actual = forward!.apply(x);
    assert.deepEqual(actual.shape, [2, 7, 7, 1280]);
    assert.ok((await maxAbsDiff(actual, expected)) < 1e-3);
    tf.dispose([x, expected, actual]);
    forward!.dispose();
    assert.equal(tf.memory().numTensors, before);
    backbone.model.dispose();
  });

  it('folds any size and width: a non-square toy network with explicit padding and a residual', async () => {
    const model = tinyNet();
    const { forward, reason } = compileFrozenForward(model);
    assert.equal(reason, undefined);
    const x = tf.randomUniform([3, 20, 14, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const expected = model.predict(x) as tf.Tensor4D;
    const actual = forward!.apply(x);
    assert.deepEqual(actual.shape, expected.shape);
    assert.ok((await maxAbsDiff(actual, expected)) < 1e-4);
    tf.dispose([x, expected, actual]);
    forward!.dispose();
    model.dispose();
  });

  it('declines a model with a layer it cannot fold, saying which', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const pooled = tf.layers.maxPooling2d({ poolSize: 2 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: pooled });
    const before = tf.memory().numTensors;
    const { forward, reason } = compileFrozenForward(model);
    assert.equal(forward, undefined);
    assert.match(reason ?? '', /MaxPooling2D/);
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
});
