import * as assert from 'node:assert/strict';
import { dropOut, makeDropout } from '../../../src/ml/dropout';
import { seededRandom } from '../../../src/ml/splits';

const D = 1280;

/** `rows` masks of one all-ones row: the kept fraction, the mean input, and how many masks were distinct. */
function draw(rate: number, rows: number, seed = 1): { kept: number; mean: number; distinct: number; masks: string[] } {
  const dropout = makeDropout(rate, seededRandom(seed))!;
  const ones = new Float32Array(D).fill(1);
  const out = new Float32Array(D);
  let kept = 0;
  let sum = 0;
  const masks: string[] = [];
  for (let r = 0; r < rows; r++) {
    dropOut(dropout, ones, 0, out, D);
    for (const v of out) {
      if (v !== 0) kept++;
      sum += v;
    }
    masks.push(Buffer.from(out.buffer).toString('base64'));
  }
  return { kept: kept / (rows * D), mean: sum / (rows * D), distinct: new Set(masks).size, masks };
}

describe('head dropout', () => {
  it('draws a fresh mask every time: 3,000 rows, 3,000 different masks (a bank of 1,024 would repeat)', () => {
    assert.equal(draw(0.5, 3000).distinct, 3000);
  });

  it('keeps each feature with probability 1 − rate and scales it so the expected input is unchanged', () => {
    for (const rate of [0.5, 0.3, 0.2, 0.9]) {
      const { kept, mean } = draw(rate, 2000);
      // 2.56 M features: the standard error of the kept fraction is below 0.0004.
      assert.ok(Math.abs(kept - (1 - rate)) < 0.002, `rate ${rate}: kept ${kept}`);
      assert.ok(Math.abs(mean - 1) < 0.01, `rate ${rate}: mean input ${mean}`);
    }
  });

  it('is reproducible from the seed and differs with it', () => {
    assert.deepEqual(draw(0.5, 20, 7).masks, draw(0.5, 20, 7).masks);
    assert.notDeepEqual(draw(0.5, 20, 7).masks, draw(0.5, 20, 8).masks);
  });

  it('copies the right slice and handles lengths that are not a multiple of 32', () => {
    const dropout = makeDropout(0.5, seededRandom(3))!;
    const features = Float32Array.from({ length: 100 }, (_, i) => i + 1);
    const out = new Float32Array(45).fill(-1);
    dropOut(dropout, features, 50, out, 45);
    out.forEach((v, i) => assert.ok(v === 0 || v === 2 * (51 + i), `out[${i}] = ${v}`));
    assert.ok(out.some((v) => v === 0) && out.some((v) => v !== 0));
  });

  it('is off at rate 0 and refuses rates outside [0, 1)', () => {
    assert.equal(makeDropout(0, seededRandom(1)), undefined);
    for (const rate of [1, -0.1, Number.NaN]) assert.throws(() => makeDropout(rate, seededRandom(1)), /dropout rate must be in \[0, 1\)/);
  });
});
