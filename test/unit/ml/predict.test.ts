import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../../src/ml/engine';
import { createHead, headVariables } from '../../../src/ml/head';
import { predictProbabilities, summarize } from '../../../src/ml/predict';

describe('ml/predict', () => {
  before(async () => {
    await initEngine();
  });

  it('summarises a probability row', () => {
    const p = summarize('x', [0.2, 0.7, 0.1], ['A', 'B', 'C']);
    assert.equal(p.predicted, 'B');
    assert.equal(p.confidence, 0.7);
    assert.ok(Math.abs(p.margin - 0.5) < 1e-12);
    const h = -(0.2 * Math.log(0.2) + 0.7 * Math.log(0.7) + 0.1 * Math.log(0.1)) / Math.log(3);
    assert.ok(Math.abs(p.entropy - h) < 1e-12);
  });

  it('gives entropy 1 and margin 0 for a uniform row, and picks the first class on ties', () => {
    const p = summarize('x', [0.5, 0.5], ['A', 'B']);
    assert.equal(p.predicted, 'A');
    assert.equal(p.margin, 0);
    assert.ok(Math.abs(p.entropy - 1) < 1e-12);
    assert.equal(summarize('y', [1, 0], ['A', 'B']).entropy, 0);
  });

  it('predicts what the tfjs head predicts, without leaking tensors', () => {
    const head = createHead(5, 3, 0.5, 1);
    tf.tidy(() => headVariables(head).bias.assign(tf.tensor1d([0.3, -0.2, 0.1])));
    const features = Float32Array.from({ length: 5 * 500 }, (_, i) => 3 * Math.sin(i));
    const before = tf.memory().numTensors;
    const probs = predictProbabilities(head, features, 5);
    assert.equal(tf.memory().numTensors, before);
    const expected = tf.tidy(() => (head.predict(tf.tensor2d(features, [500, 5])) as tf.Tensor).dataSync());
    assert.equal(probs.length, 3 * 500);
    probs.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-5, `value ${i}`));
    assert.throws(() => predictProbabilities(head, new Float32Array(7), 5), /not a multiple/);
    assert.throws(() => predictProbabilities(head, new Float32Array(8), 4), /takes 5 features/);
    head.dispose();
  });
});
