import * as assert from 'node:assert/strict';
import { downsample, encodeFullRange, paintGrey, PADDING, windowLut } from '../../../src/shared/fullRange';
import type { PixelsReply } from '../../../src/shared/protocol';
import { HIDDEN_VALUE, tagText } from '../../../src/webview/gallery/dicomTags';
import { dragWindowLevel } from '../../../src/webview/gallery/viewMath';
import { fromModalityWindow, pixelsProblem, toModalityWindow } from '../../../src/webview/gallery/windowLevel';

/** Every 12-bit level once, then padding. */
const twelveBit = (): Float32Array => Float32Array.from([...Array.from({ length: 4096 }, (_, i) => i), NaN]);

describe('full-range window/level: 12/16-bit values windowed in the webview', () => {
  it('encodes 12-bit values to 16-bit codes that give back every level, padding marked', () => {
    const values = twelveBit();
    const { codes, encoding } = encodeFullRange(values, 0, 4095);
    assert.equal(codes[4096], PADDING);
    for (let i = 0; i < 4096; i++) assert.equal(Math.round(encoding.offset + codes[i] * encoding.step), i, `level ${i}`);
  });

  it('keeps negative and fractional values (rescale intercept and slope) within half a step', () => {
    const values = Float32Array.from([-1024, -1023.5, 0.25, 3071]);
    const { codes, encoding } = encodeFullRange(values, -1024, 3071);
    values.forEach((v, i) => assert.ok(Math.abs(encoding.offset + codes[i] * encoding.step - v) <= encoding.step / 2 + 1e-9, `value ${v}`));
  });

  it('a narrow window separates levels that the file window renders as one grey, and inverts MONOCHROME1', () => {
    const { codes, encoding } = encodeFullRange(twelveBit(), 0, 4095);
    const wide = windowLut(encoding, { centre: 2048, width: 4096 }, false);
    // Levels 1000…1007 are one or two greys under the full window: the 8-bit copy lost them.
    const wideGreys = new Set(Array.from({ length: 8 }, (_, i) => wide[codes[1000 + i]]));
    assert.ok(wideGreys.size <= 3, `${wideGreys.size} greys`);
    const narrow = windowLut(encoding, { centre: 1004, width: 16 }, false);
    const narrowGreys = new Set(Array.from({ length: 8 }, (_, i) => narrow[codes[1000 + i]]));
    assert.equal(narrowGreys.size, 8);
    assert.equal(narrow[codes[900]], 0, 'below the window: black');
    assert.equal(narrow[codes[2000]], 255, 'above the window: white');
    const inverted = windowLut(encoding, { centre: 1004, width: 16 }, true);
    assert.equal(inverted[codes[900]], 255);
    assert.equal(inverted[codes[1003]], 255 - narrow[codes[1003]]);
    assert.equal(inverted[PADDING], 0, 'padding is black either way');
  });

  it('paints opaque grey RGBA and refuses a buffer of the wrong size', () => {
    const codes = Uint16Array.from([0, PADDING, 65534]);
    const lut = windowLut({ offset: 0, step: 1 }, { centre: 32767, width: 65534 }, false);
    const rgba = new Uint8ClampedArray(12);
    paintGrey(codes, lut, rgba);
    assert.deepEqual([...rgba], [0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
    assert.throws(() => paintGrey(codes, lut, new Uint8ClampedArray(8)), /2 pixels to paint for 3 codes/);
  });

  it('downsamples by box averages to the long side asked for, all-padding boxes stay padding', () => {
    const values = Float32Array.from([1, 3, NaN, NaN, 5, 7, NaN, NaN]); // 4 × 2
    const small = downsample(values, 4, 2, 2);
    assert.deepEqual([small.width, small.height], [2, 1]);
    assert.equal(small.values[0], 4);
    assert.ok(Number.isNaN(small.values[1]));
    assert.equal(downsample(values, 4, 2, 4).values, values, 'no copy when it fits');
    const big = downsample(new Float32Array(3000 * 2500), 3000, 2500);
    assert.deepEqual([big.width, big.height], [1500, 1250]);
  });

  it('maps a drag from the file window to modality values and back; a drag reaches the whole 12-bit range', () => {
    const start = fromModalityWindow({ centre: 2048, width: 4096 }, 0, 4095);
    const back = toModalityWindow(start, 0, 4095);
    assert.ok(Math.abs(back.centre - 2048) < 1e-9 && Math.abs(back.width - 4096) < 1e-9);
    const narrowed = toModalityWindow(dragWindowLevel(start, -400, -200, 200), 0, 4095);
    assert.ok(narrowed.width < 4096 / 10, `width ${narrowed.width}`);
    assert.equal(narrowed.centre, 0, 'the level reaches the lowest value');
  });

  it('refuses pixels whose size and values disagree', () => {
    const good: PixelsReply = { type: 'pixels', id: 'a', width: 2, height: 1, codes: new Uint16Array(2), offset: 0, step: 1, min: 0, max: 1, centre: 0.5, windowWidth: 1, inverted: false };
    assert.equal(pixelsProblem(good), undefined);
    assert.match(pixelsProblem({ ...good, codes: new Uint16Array(3) }) ?? '', /3 values for 2 × 1/);
    assert.match(pixelsProblem({ ...good, codes: [0, 0] as unknown as Uint16Array }) ?? '', /values for/);
    assert.match(pixelsProblem({ ...good, step: 0 }) ?? '', /step/);
  });

  it('shows identifying tags as hidden and indents sequence items', () => {
    assert.deepEqual(tagText({ tag: '(0010,0010)', keyword: 'PatientName', vr: 'PN', depth: 0, value: null }), { name: 'PatientName (0010,0010)', value: HIDDEN_VALUE });
    assert.deepEqual(tagText({ tag: '(0008,0100)', keyword: 'CodeValue', vr: 'SH', depth: 1, value: 'T-D3000' }), { name: '  CodeValue (0008,0100)', value: 'T-D3000' });
  });
});
