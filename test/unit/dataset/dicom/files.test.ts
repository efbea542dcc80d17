import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeForModel, readImageHeader, thumbnail } from '../../../../src/dataset/image';
import { sniffImageKind } from '../../../../src/dataset/imageFormat';
import { decodeToInput } from '../../../../src/ml/preprocess';
import { corpus, HEIGHT, WIDTH } from '../../../support/dicomCorpus';
import type { Corpus } from '../../../support/dicomCorpus';

const LOSSLESS = ['mono2.dcm', 'implicit.dcm', 'big-endian.dcm', 'deflated.dcm', 'bare-implicit.dcm', 'no-preamble.dcm', 'jpeg-lossless.dcm', 'jpeg-lossless-sv1.dcm', 'mono2-jpegls.dcm', 'mono2-j2k.dcm', 'htj2k.dcm', 'mono2-rle.dcm', 'IM000001'];

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('DICOM files in the image pipeline: sniffing, model input, thumbnails', () => {
  let c: Corpus;
  before(async function () {
    this.timeout(120_000);
    c = await corpus();
  });

  it('knows DICOM by content: with or without preamble or meta header, with no extension', () => {
    for (const name of ['mono2.dcm', 'no-preamble.dcm', 'bare-implicit.dcm', 'bare-explicit.dcm', 'IM000001', 'deflated.dcm', 'big-endian.dcm']) {
      assert.equal(sniffImageKind(fs.readFileSync(c.files[name]).subarray(0, 132)), 'dicom', name);
    }
  });

  it('does not take other content for DICOM, even when it starts like group 0008', () => {
    assert.equal(sniffImageKind(Buffer.from('group 0008 is not a reason to call this text DICOM, whatever its length may be; it has to parse as elements')), null);
    let taken = 0;
    for (let n = 0; n < 2000; n++) {
      // Deterministic pseudo-random bytes: SHA-256 in counter mode.
      const bytes = Buffer.concat([0, 1, 2, 3, 4].map((k) => createHash('sha256').update(`${n}:${k}`).digest())).subarray(0, 132);
      bytes.set([0x08, 0x00], 0);
      if (sniffImageKind(bytes) === 'dicom') taken++;
    }
    assert.equal(taken, 0, 'random bytes after 08 00');
  });

  it('reads the header of an extension-less DICOM file in a PACS folder', async () => {
    assert.equal(path.extname(c.files['IM000001']), '');
    assert.deepEqual(await readImageHeader(fs.readFileSync(c.files['IM000001'])), { kind: 'dicom', width: WIDTH, height: HEIGHT });
  });

  it('gives every lossless encoding the identical model input, for training (image.ts) and embedding (preprocess)', async function () {
    this.timeout(60_000);
    const training = new Set<string>();
    const embedding = new Set<string>();
    for (const name of LOSSLESS) {
      training.add(sha((await decodeForModel(c.files[name], 224)).data));
      embedding.add(sha(await decodeToInput(c.files[name], 224, 224)));
    }
    assert.deepEqual([training.size, embedding.size], [1, 1]);
  });

  it('the model input of the lossy JPEG 2000 file is close to the lossless one', async () => {
    const lossless = (await decodeForModel(c.files['mono2.dcm'], 224)).data;
    const lossy = (await decodeForModel(c.files['j2k-lossy.dcm'], 224)).data;
    let sum = 0;
    for (let i = 0; i < lossless.length; i++) sum += Math.abs(lossless[i] - lossy[i]);
    assert.ok(sum / lossless.length < 1, `mean difference ${(sum / lossless.length).toFixed(2)} grey levels`);
  });

  it('writes a 256 px WebP thumbnail of a compressed DICOM file', async () => {
    const cacheDir = fs.mkdtempSync(path.join(c.dir, 'thumbs-'));
    const file = await thumbnail(c.files['htj2k.dcm'], 'a'.repeat(64), cacheDir);
    const meta = await sharp(file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 256, Math.round((256 * HEIGHT) / WIDTH)]);
  });
});
