import * as assert from 'node:assert/strict';
import { heatPixels, turbo } from '../../../src/webview/gallery/heatmap';

describe('detail view: saliency colours', () => {
  it('runs the Turbo scale from near black through blue and green to dark red', () => {
    assert.ok(Math.max(...turbo(0)) < 60, `0 is ${turbo(0)}, not dark`);
    const [r1, g1, b1] = turbo(0.12);
    assert.ok(b1 > 2 * r1 && b1 > g1, `0.12 is ${turbo(0.12)}`);
    const [r5, g5, b5] = turbo(0.5);
    assert.ok(g5 > r5 && g5 > b5, `0.5 is ${turbo(0.5)}`);
    const [rTop, gTop, bTop] = turbo(1);
    assert.ok(rTop > 100 && rTop > 3 * gTop && rTop > 3 * bTop, `1 is ${turbo(1)}`);
    assert.deepEqual(turbo(-3), turbo(0));
    assert.deepEqual(turbo(7), turbo(1));
  });

  it('makes RGBA pixels, transparent without evidence and more opaque with more', () => {
    const pixels = heatPixels([0, 0.25, 1]);
    assert.equal(pixels.length, 12);
    assert.deepEqual([...pixels.subarray(0, 3)], turbo(0));
    assert.equal(pixels[3], 0);
    assert.ok(pixels[7] > 0 && pixels[7] < pixels[11], `alphas ${pixels[3]}, ${pixels[7]}, ${pixels[11]}`);
    assert.ok(pixels[11] < 255, 'the strongest evidence still lets the image show through');
  });
});
