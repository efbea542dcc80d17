import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../../src/ml/engine';
import { registerWasmGradientKernels } from '../../../src/ml/kernels';
import { conv2dBackpropInputConfig } from '../../../src/ml/kernels/conv2dBackpropInput';

type Pad = 'same' | 'valid';
interface ConvCase { x: [number, number, number, number]; filter: [number, number, number, number]; strides: [number, number]; pad: Pad }

/** Deterministic values in [-1, 1), so both backends see the same inputs. */
function randomValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return values;
}

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Runs `compute` on one backend and returns its outputs as plain arrays, checking it leaves nothing behind. */
async function runOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  assert.ok(await tf.setBackend(backend));
  const tensorsBefore = tf.memory().numTensors;
  const dataIdsBefore = tf.engine().backend.numDataIds();
  const outputs = compute();
  const result = outputs.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  tf.dispose(outputs);
  assert.equal(tf.memory().numTensors, tensorsBefore, `${backend}: tensors leaked`);
  assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore, `${backend}: backend buffers leaked`);
  return result;
}

function assertClose(actual: { shape: number[]; values: Float32Array }[], expected: { shape: number[]; values: Float32Array }[], what: string): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.deepEqual(actual[i].shape, expected[i].shape, `${what} output ${i} shape`);
    const scale = Math.max(1, ...Array.from(expected[i].values, Math.abs));
    let worst = 0;
    for (let j = 0; j < expected[i].values.length; j++) {
      worst = Math.max(worst, Math.abs(actual[i].values[j] - expected[i].values[j]));
    }
    assert.ok(worst <= 1e-5 * scale, `${what} output ${i}: max difference ${worst} (scale ${scale})`);
  }
}

async function compareBackends(what: string, compute: () => tf.Tensor[]): Promise<void> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);
  assertClose(actual, expected, what);
}

const conv2dCases: ConvCase[] = [
  { x: [2, 7, 7, 8], filter: [3, 3, 8, 5], strides: [1, 1], pad: 'same' },
  { x: [2, 9, 8, 4], filter: [3, 3, 4, 6], strides: [2, 2], pad: 'same' },
  { x: [1, 10, 10, 3], filter: [3, 2, 3, 4], strides: [2, 1], pad: 'valid' },
  { x: [3, 7, 7, 16], filter: [1, 1, 16, 24], strides: [1, 1], pad: 'valid' },
  { x: [2, 6, 6, 4], filter: [1, 1, 4, 3], strides: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [5, 5, 3, 2], strides: [1, 1], pad: 'valid' },
];

const depthwiseCases: ConvCase[] = [
  { x: [2, 7, 7, 8], filter: [3, 3, 8, 1], strides: [1, 1], pad: 'same' },
  { x: [2, 9, 9, 4], filter: [3, 3, 4, 2], strides: [2, 2], pad: 'same' },
  { x: [1, 8, 7, 3], filter: [3, 3, 3, 3], strides: [2, 2], pad: 'valid' },
  { x: [2, 6, 6, 5], filter: [5, 5, 5, 1], strides: [1, 1], pad: 'valid' },
  { x: [1, 7, 10, 6], filter: [3, 3, 6, 2], strides: [1, 2], pad: 'same' },
];

function describeCase(c: ConvCase): string {
  return `x ${c.x.join('×')}, filter ${c.filter.join('×')}, strides ${c.strides.join(',')}, ${c.pad}`;
}

describe('wasm gradient kernels', () => {
  before(async () => {
    const engine = await initEngine(['wasm']);
    assert.equal(engine.backend, 'wasm');
    registerWasmGradientKernels();
  });

  after(async () => {
    await tf.setBackend('wasm');
  });

  it('registers the three missing kernels and the faster Conv2DBackpropInput, idempotently', () => {
    registerWasmGradientKernels();
    for (const name of [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, tf.DepthwiseConv2dNativeBackpropFilter]) {
      assert.ok(tf.getKernel(name, 'wasm'), `${name} is registered for wasm`);
    }
    assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc, conv2dBackpropInputConfig.kernelFunc);
  });

  for (const c of conv2dCases) {
    it(`Conv2DBackpropFilter, Conv2DBackpropInput and conv2d gradients match cpu: ${describeCase(c)}`, async () => {
      await compareBackends(describeCase(c), () => {
        const x = randomTensor(c.x, 1) as tf.Tensor4D;
        const filter = randomTensor(c.filter, 2) as tf.Tensor4D;
        const dyShape = tf.conv2d(x, filter, c.strides, c.pad);
        const dy = randomTensor(dyShape.shape, 3);
        const kernel = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy },
          { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }) as tf.Tensor;
        const dx = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter },
          { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor;
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad))([x, filter], dy);
        tf.dispose([x, filter, dyShape, dy]);
        return [kernel, dx, ...grads];
      });
    });
  }

  for (const c of depthwiseCases) {
    it(`depthwise backprop kernels and depthwiseConv2d gradients match cpu: ${describeCase(c)}`, async () => {
      await compareBackends(describeCase(c), () => {
        const x = randomTensor(c.x, 4) as tf.Tensor4D;
        const filter = randomTensor(c.filter, 5) as tf.Tensor4D;
        const dyShape = tf.depthwiseConv2d(x, filter, c.strides, c.pad);
        const dy = randomTensor(dyShape.shape, 6);
        const attrs = { strides: c.strides, pad: c.pad, dilations: [1, 1] };
        const dx = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, { ...attrs, inputShape: c.x }) as tf.Tensor;
        const dw = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: c.filter }) as tf.Tensor;
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad))([x, filter], dy);
        tf.dispose([x, filter, dyShape, dy]);
        return [dx, dw, ...grads];
      });
    });
  }

  it('gradients of a fused conv + bias + relu6 and a depthwise block match cpu', async () => {
    await compareBackends('fused block', () => {
      const x = randomTensor([4, 7, 7, 6], 7) as tf.Tensor4D;
      const expand = randomTensor([1, 1, 6, 12], 8) as tf.Tensor4D;
      const bias = randomTensor([12], 9) as tf.Tensor1D;
      const depthwise = randomTensor([3, 3, 12, 1], 10) as tf.Tensor4D;
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor): tf.Scalar => {
        const expanded = tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: 1, pad: 'same', bias: c, activation: 'relu6' });
        return tf.depthwiseConv2d(expanded, d as tf.Tensor4D, 2, 'same').square().mean();
      };
      const grads = tf.grads(loss)([x, expand, bias, depthwise]);
      tf.dispose([x, expand, bias, depthwise]);
      return grads;
    });
  });

  it('rejects dilations other than 1 with a clear message', async () => {
    assert.ok(await tf.setBackend('wasm'));
    const x = tf.zeros([1, 5, 5, 2]);
    const dy = tf.zeros([1, 5, 5, 2]);
    assert.throws(
      () => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { strides: 1, pad: 'same', dilations: 2, filterShape: [3, 3, 2, 1] }),
      /supports dilation 1 only/,
    );
    tf.dispose([x, dy]);
  });
});
