// The detail view's DICOM data on the host: tags with identifying values masked (they never reach the webview)
// and the full-range pixels, checked against the corpus's own 12-bit samples (made by ImageMagick and GDCM).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import type { DatasetItem } from '../../../src/dataset';
import { dicomTagsReply, hasFullRange, PixelCache } from '../../../src/host/dicomDetail';
import { fullRangePixels } from '../../../src/dataset/fullRangePixels';
import { parseFromWebview } from '../../../src/shared/parseMessage';
import { corpus, HEIGHT, SOURCE, WIDTH } from '../../support/dicomCorpus';
import type { Corpus } from '../../support/dicomCorpus';

/** Identifying values the corpus writes into every file (dicomCorpus.ts PATIENT_TAGS). */
const PHI = ['Doe^Jane', 'Doe', 'PAT-0042', '19700101', 'ACC-778899', '1 Main Street', '20240315'];

const dicomItem = (id: string, absPath: string, extra: Partial<DatasetItem> = {}): DatasetItem => ({ id, absPath, sourceLabel: null, label: null, flagged: false, hash: null, format: 'dicom', metadata: {}, ...extra });

describe('host: DICOM tags and full-range pixels for the detail view', () => {
  let c: Corpus;
  before(async function () {
    this.timeout(120_000);
    c = await corpus();
  });

  it('lists the tags with Modality shown and every identifying value masked; no PHI in the reply', async () => {
    const reply = await dicomTagsReply(dicomItem('PAT/IM1', c.files['mono2-jpegls.dcm']));
    const row = (keyword: string) => reply.tags.find((t) => t.keyword === keyword);
    assert.equal(row('Modality')?.value, 'DX');
    assert.equal(row('Manufacturer')?.value, 'Acme Imaging');
    for (const keyword of ['PatientName', 'PatientID', 'PatientBirthDate', 'AccessionNumber', 'PatientAddress', 'StudyInstanceUID']) {
      assert.ok(row(keyword), `${keyword} is listed`);
      assert.equal(row(keyword)?.value, null, `${keyword} is masked`);
    }
    const sent = JSON.stringify(reply);
    for (const value of PHI) assert.ok(!sent.includes(value), `${value} would reach the webview`);
  });

  it('refuses items that are not readable DICOM', async () => {
    await assert.rejects(dicomTagsReply(dicomItem('a.png', c.files['mono2.dcm'], { format: 'png' })), /a.png is not a DICOM file/);
    await assert.rejects(new PixelCache().reply(dicomItem('b', c.files['mono2.dcm'], { error: 'truncated' })), /b has no more than 8 bits to window: truncated/);
  });

  it('sends the 12-bit values exactly (not an 8-bit copy), with the file window', async () => {
    for (const name of ['mono2.dcm', 'mono2-j2k.dcm', 'jpeg-lossless.dcm']) {
      const pixels = await fullRangePixels(c.files[name]);
      assert.deepEqual([pixels.width, pixels.height, pixels.codes.length], [WIDTH, HEIGHT, WIDTH * HEIGHT], name);
      assert.deepEqual([pixels.centre, pixels.windowWidth, pixels.inverted], [2048, 4096, false], name);
      let levels = 0;
      const seen = new Set<number>();
      for (let i = 0; i < pixels.codes.length; i++) {
        const value = Math.round(pixels.offset + pixels.codes[i] * pixels.step);
        assert.equal(value, c.samples12[i], `${name} pixel ${i}`);
        if (!seen.has(value)) levels++;
        seen.add(value);
      }
      assert.ok(levels > 256, `${name}: ${levels} levels, more than 8 bits hold`);
    }
    assert.equal((await fullRangePixels(c.files['mono1.dcm'])).inverted, true);
  });

  it('sends a 16-bit PNG at full range (written by sharp from the corpus samples); an 8-bit PNG has none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-png16-'));
    try {
      const file = path.join(dir, 'x.png');
      // The 12-bit samples scaled to 16 bits, as scanners write them.
      const samples = Uint16Array.from(c.samples12, (v) => v * 16);
      await sharp(samples, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } }).toColourspace('grey16').png().toFile(file);
      const item = { ...dicomItem('x.png', file), format: 'png' };
      assert.equal(await hasFullRange(item), true);
      assert.equal(await hasFullRange({ ...item, absPath: SOURCE }), false, 'an 8-bit PNG');
      const pixels = await fullRangePixels(file);
      assert.deepEqual([pixels.width, pixels.height, pixels.inverted], [WIDTH, HEIGHT, false]);
      for (let i = 0; i < samples.length; i += 97) assert.equal(Math.round(pixels.offset + pixels.codes[i] * pixels.step), samples[i], `pixel ${i}`);
      assert.equal(pixels.windowWidth, pixels.max - pixels.min, 'starts at the value range');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decodes in a worker job and caches by content', async function () {
    this.timeout(120_000);
    const cache = new PixelCache();
    const item = dicomItem('PAT/IM1', c.files['mono2-rle.dcm'], { hash: 'c'.repeat(64) });
    const reply = await cache.reply(item);
    assert.equal(reply.type, 'pixels');
    assert.equal(reply.id, 'PAT/IM1');
    assert.ok(reply.codes instanceof Uint16Array, 'a typed array survives the worker boundary');
    assert.equal(Math.round(reply.offset + reply.codes[1234] * reply.step), c.samples12[1234]);
    const again = await cache.reply({ ...item, id: 'PAT/IM1-copy' });
    assert.equal(again.codes, reply.codes, 'the same content is not decoded twice');
  });

  it('the protocol accepts tag and pixel requests only for well-formed item ids', () => {
    assert.deepEqual(parseFromWebview({ messageId: 1, body: { type: 'pixels', id: 'P1/S1/IM1' } }), { messageId: 1, inReplyTo: undefined, body: { type: 'pixels', id: 'P1/S1/IM1' } });
    assert.match((parseFromWebview({ messageId: 2, body: { type: 'dicomTags', id: '../etc/passwd' } }) as { refused: string }).refused, /leaves the dataset/);
  });
});
