import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../../../src/ml/engine';
import { fitProjection, projectRow, projectRows } from '../../../../src/ml/similarity/projection';
import { normaliseRows } from '../../../../src/ml/similarity/vectors';
import { seededRandom } from '../../../../src/ml/splits';

// The projection of every row is the hottest loop of the similarity index, the map and the diversity queue: it runs as
// matrix products on the wasm engine and as a blocked loop without one. Both must give each row's own projection.
describe('ml/similarity projectRows', () => {
  const random = seededRandom(3);
  // Odd counts: a row without a pair and components that are not a multiple of four take the loop's tails.
  const rows = 4099;
  const cols = 37;
  const table = normaliseRows(Float32Array.from({ length: rows * cols }, () => random() - 0.3), rows, cols);
  const projection = fitProjection(table, 7, 1);
  const expected = new Float32Array(rows * 7);
  for (let r = 0; r < rows; r++) projectRow(projection, table, r, expected, r * 7);

  const largestGap = (a: Float32Array, b: Float32Array): number => a.reduce((gap, v, i) => Math.max(gap, Math.abs(v - b[i])), 0);

  before(async () => {
    assert.equal((await initEngine(['wasm'])).backend, 'wasm');
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  it('gives every row its own projection on the wasm engine (chunked, no tensor left) and in the JS loop', async () => {
    const tensors = tf.memory().numTensors;
    const onEngine = projectRows(projection, table);
    assert.equal(tf.memory().numTensors, tensors, 'no tensor left behind');
    assert.deepEqual([onEngine.rows, onEngine.cols], [rows, 7]);
    assert.ok(largestGap(onEngine.data, expected) < 1e-5, `engine: ${largestGap(onEngine.data, expected)}`);

    await tf.setBackend('cpu');
    const inLoop = projectRows(projection, table);
    assert.ok(largestGap(inLoop.data, expected) < 1e-5, `loop: ${largestGap(inLoop.data, expected)}`);
    assert.throws(() => projectRows(projection, normaliseRows(new Float32Array(8), 2, 4)), /rows have 4 values, the projection 37/);
  });
});
