import * as assert from 'node:assert/strict';
import { applyAugmentation, augmentTag, sampleAugmentation } from '../../../src/ml/augment';
import type { AugmentParams } from '../../../src/ml/augment';
import { DEFAULT_AUGMENT_CONFIG } from '../../../src/ml/config';

const IDENTITY: AugmentParams = { rotation: 0, shiftX: 0, shiftY: 0, zoomX: 1, zoomY: 1, flip: false, brightness: 1 };

function gradient(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.fill(x * 10 + y, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return rgb;
}

describe('ml/augment', () => {
  it('leaves the image unchanged with identity parameters', () => {
    const rgb = gradient(8, 6);
    assert.deepEqual(applyAugmentation(rgb, 8, 6, IDENTITY), rgb);
  });

  it('mirrors left-right on flip', () => {
    const rgb = gradient(8, 6);
    const out = applyAugmentation(rgb, 8, 6, { ...IDENTITY, flip: true });
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) assert.equal(out[(y * 8 + x) * 3], rgb[(y * 8 + (7 - x)) * 3]);
  });

  it('shifts content and fills with the nearest edge pixel', () => {
    const rgb = gradient(8, 6);
    const out = applyAugmentation(rgb, 8, 6, { ...IDENTITY, shiftX: 0.25 });
    // Content moves right by 2 px; the first columns repeat column 0.
    assert.equal(out[(0 * 8 + 5) * 3], rgb[(0 * 8 + 3) * 3]);
    assert.equal(out[(0 * 8 + 0) * 3], rgb[0]);
  });

  it('scales brightness and clamps at 255', () => {
    const rgb = new Uint8Array(4 * 4 * 3).fill(200);
    assert.ok(applyAugmentation(rgb, 4, 4, { ...IDENTITY, brightness: 1.5 }).every((v) => v === 255));
    assert.ok(applyAugmentation(rgb, 4, 4, { ...IDENTITY, brightness: 0.5 }).every((v) => v === 100));
  });

  it('rejects a buffer of the wrong size', () => {
    assert.throws(() => applyAugmentation(new Uint8Array(10), 4, 4, IDENTITY), /expected 48 bytes/);
  });

  it('draws the same view for the same image, seed and view index, within the configured ranges', () => {
    const a = sampleAugmentation(DEFAULT_AUGMENT_CONFIG, 'abc', 1, 7);
    assert.deepEqual(sampleAugmentation(DEFAULT_AUGMENT_CONFIG, 'abc', 1, 7), a);
    assert.notDeepEqual(sampleAugmentation(DEFAULT_AUGMENT_CONFIG, 'abc', 2, 7), a);
    assert.notDeepEqual(sampleAugmentation(DEFAULT_AUGMENT_CONFIG, 'abc', 1, 8), a);
    for (let v = 1; v <= 50; v++) {
      const p = sampleAugmentation(DEFAULT_AUGMENT_CONFIG, 'h', v, 1);
      assert.ok(Math.abs(p.rotation) <= 15 && Math.abs(p.shiftX) <= 0.1 && Math.abs(p.shiftY) <= 0.1);
      assert.ok(p.zoomX >= 0.9 && p.zoomX <= 1.1 && p.brightness >= 0.9 && p.brightness <= 1.1);
    }
  });

  it('tags settings so changed settings get new cache keys', () => {
    assert.equal(augmentTag(DEFAULT_AUGMENT_CONFIG, 1), augmentTag({ ...DEFAULT_AUGMENT_CONFIG }, 1));
    assert.notEqual(augmentTag(DEFAULT_AUGMENT_CONFIG, 1), augmentTag({ ...DEFAULT_AUGMENT_CONFIG, rotationRange: 5 }, 1));
    assert.notEqual(augmentTag(DEFAULT_AUGMENT_CONFIG, 1), augmentTag(DEFAULT_AUGMENT_CONFIG, 2));
  });
});
