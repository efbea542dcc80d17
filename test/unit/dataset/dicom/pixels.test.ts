import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { decodeDicom, renderGrey } from '../../../../src/dataset/dicom';
import type { DicomImage, Voi } from '../../../../src/dataset/dicom';
import { corpus, renderWithDcmtk } from '../../../support/dicomCorpus';
import type { Corpus } from '../../../support/dicomCorpus';

function extremes(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  return [min, max];
}

/** Largest difference between two 8-bit images, and how many pixels differ. */
function difference(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; differing: number } {
  assert.equal(a.length, b.length);
  let max = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > 0) differing++;
    if (d > max) max = d;
  }
  return { max, differing };
}

describe('DICOM pixels: modality values, padding, VOI, MONOCHROME1', () => {
  let c: Corpus;
  let mono2: DicomImage;
  const decode = async (name: string): Promise<DicomImage> => decodeDicom(fs.readFileSync(c.files[name]));
  before(async function () {
    this.timeout(120_000);
    c = await corpus();
    mono2 = await decode('mono2.dcm');
  });

  it('renders the file\'s window as dcmtk does (within one grey level: dcmtk truncates, this rounds)', () => {
    assert.deepEqual(mono2.voi, { kind: 'window', centre: 2048, width: 4096, fn: 'LINEAR', explanation: undefined });
    const { max, differing } = difference(mono2.grey, renderWithDcmtk(c.files['mono2.dcm'], ['+Wi', '1']));
    assert.ok(max <= 1, `max ${max}`);
    assert.ok(differing < mono2.grey.length * 0.6);
  });

  it('inverts MONOCHROME1: the inverted samples give exactly the MONOCHROME2 grey, in every syntax', async () => {
    for (const name of ['mono1.dcm', 'mono1-jpegls.dcm', 'mono1-j2k.dcm', 'mono1-rle.dcm']) {
      const mono1 = await decode(name);
      assert.equal(mono1.inverted, true);
      assert.equal(difference(mono1.values, c.samples12.map((v) => 4095 - v)).max, 0, name);
      assert.deepEqual(difference(mono1.grey, mono2.grey), { max: 0, differing: 0 }, name);
    }
    assert.ok(difference((await decode('mono1.dcm')).grey, renderWithDcmtk(c.files['mono1.dcm'], ['+Wi', '1'])).max <= 1, 'as dcmtk shows it');
  });

  it('sign-extends signed pixels and applies the rescale intercept (native and JPEG 2000)', async () => {
    for (const name of ['signed.dcm', 'signed-j2k.dcm']) {
      const image = await decode(name);
      assert.equal(image.signed, true);
      assert.equal(difference(image.values, c.samples12).max, 0, name);
      assert.deepEqual([image.min, image.max], extremes(c.samples12));
    }
  });

  it('masks bits above High Bit (overlay bits in old CR files)', async () => {
    const image = await decode('high-bits.dcm');
    assert.equal(difference(image.values, c.samples12).max, 0);
  });

  it('masks the Pixel Padding Value: NaN values, black grey, left out of the range', async () => {
    const image = await decode('padding.dcm');
    const pad = c.samples12[0];
    let padded = 0;
    for (let i = 0; i < c.samples12.length; i++) {
      if (c.samples12[i] === pad) {
        padded++;
        assert.ok(Number.isNaN(image.values[i]) && image.grey[i] === 0, `pixel ${i}`);
      } else assert.ok(image.values[i] === c.samples12[i] && image.grey[i] === mono2.grey[i], `pixel ${i}`);
    }
    assert.ok(padded > 1000, `${padded} padding pixels`);
    assert.deepEqual([image.min, image.max], extremes(c.samples12.filter((v) => v !== pad)));
  });

  it('offers every window of a multi-valued Window Center/Width, the first one the default', async () => {
    const image = await decode('windows.dcm');
    assert.deepEqual(image.vois, [
      { kind: 'window', centre: 1000, width: 500, fn: 'LINEAR', explanation: 'LUNG' },
      { kind: 'window', centre: 2048, width: 4096, fn: 'LINEAR', explanation: 'FULL' },
    ]);
    assert.equal(image.voi, image.vois[0]);
    assert.ok(difference(image.grey, renderWithDcmtk(c.files['windows.dcm'], ['+Wi', '1'])).max <= 1);
    assert.deepEqual(difference(renderGrey(image.values, image.vois[1], false), mono2.grey), { max: 0, differing: 0 });
    // The narrow window clips: values below 750.5 are black, above 1249.5 white.
    for (let i = 0; i < image.values.length; i++) {
      if (image.values[i] <= 750) assert.equal(image.grey[i], 0);
      if (image.values[i] >= 1250) assert.equal(image.grey[i], 255);
    }
  });

  it('applies the VOI LUT Sequence when the file has no window (exactly as dcmtk)', async () => {
    const image = await decode('voi-lut.dcm');
    assert.equal(image.voi.kind, 'lut');
    assert.deepEqual(Array.from(image.grey.subarray(0, 4096)), Array.from(c.samples12.subarray(0, 4096), (v) => c.voiLut[v]));
    assert.deepEqual(difference(image.grey, renderWithDcmtk(c.files['voi-lut.dcm'], ['+Wl', '1'])), { max: 0, differing: 0 });
  });

  it('uses the full value range when the file offers no VOI', async () => {
    const image = await decode('signed.dcm');
    assert.deepEqual(image.voi, { kind: 'range', min: image.min, max: image.max });
    assert.ok(difference(image.grey, renderWithDcmtk(c.files['signed.dcm'], ['+Wm'])).max <= 1);
  });

  it('re-renders the full-range values with any window, function and inversion', () => {
    const values = Float32Array.from([NaN, -100, 0, 51, 99.5, 100, 1000]);
    const window = (fn: 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID'): Voi => ({ kind: 'window', centre: 50, width: 101, fn });
    // LINEAR (PS3.3 C.11.2.1.2.1): ((x - (c - 0.5)) / (w - 1) + 0.5) · 255, black at or below -0.5, white above 99.5.
    assert.deepEqual(Array.from(renderGrey(values, window('LINEAR'), false)), [0, 0, 1, 131, 255, 255, 255]);
    assert.deepEqual(Array.from(renderGrey(values, window('LINEAR'), true)), [0, 255, 254, 124, 0, 0, 0]);
    // LINEAR_EXACT: ((x - c) / w + 0.5) · 255; SIGMOID: 255 / (1 + exp(-4 (x - c) / w)).
    assert.deepEqual(Array.from(renderGrey(values, window('LINEAR_EXACT'), false)), [0, 0, 1, 130, 252, 254, 255]);
    assert.deepEqual(Array.from(renderGrey(values, window('SIGMOID'), false)), [0, 1, 31, 130, 224, 224, 255]);
    assert.deepEqual(Array.from(renderGrey(values, { kind: 'range', min: 0, max: 255 }, false)), [0, 0, 0, 51, 100, 100, 255]);
  });
});
