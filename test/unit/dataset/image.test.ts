import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeForModel, decodeImage, MAX_IMAGE_PIXELS, readImageHeader, thumbnail, thumbnailPath, userThumbnailCacheDir } from '../../../src/dataset';
import { dicomBytes, makeTempDir, pngBytes, pngDeclaring, removeTempDirs, writeFile } from './fixtures';

const HASH = 'a'.repeat(64);

describe('image decoding', () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir('xray-image-');
  });
  after(removeTempDirs);

  /** 16 × 8 pixels, left half dark and right half bright, in the colour layout asked for. */
  async function twoTone(channels: 1 | 3 | 4): Promise<sharp.Sharp> {
    const width = 16;
    const height = 8;
    const pixels = Buffer.alloc(width * height * channels);
    for (let i = 0; i < width * height; i++) {
      const level = i % width < width / 2 ? 30 : 220;
      for (let c = 0; c < channels; c++) pixels[i * channels + c] = c === 3 ? 255 : level;
    }
    return sharp(pixels, { raw: { width, height, channels } });
  }

  const formats: [string, () => Promise<Buffer>][] = [
    ['PNG 8-bit grey', async () => (await twoTone(1)).toColourspace('b-w').png().toBuffer()],
    ['PNG 16-bit grey', async () => (await twoTone(1)).toColourspace('grey16').png().toBuffer()],
    ['PNG 16-bit RGB', async () => (await twoTone(3)).toColourspace('rgb16').png().toBuffer()],
    ['PNG RGB', async () => (await twoTone(3)).png().toBuffer()],
    ['PNG RGBA', async () => (await twoTone(4)).png().toBuffer()],
    ['PNG palette', async () => (await twoTone(3)).png({ palette: true }).toBuffer()],
    ['JPEG grey', async () => (await twoTone(1)).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer()],
    ['JPEG RGB', async () => (await twoTone(3)).jpeg({ quality: 95 }).toBuffer()],
    ['JPEG CMYK', async () => (await twoTone(3)).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()],
    ['WEBP', async () => (await twoTone(3)).webp({ lossless: true }).toBuffer()],
    ['TIFF', async () => (await twoTone(3)).tiff().toBuffer()],
  ];
  for (const [name, make] of formats) {
    it(`decodes ${name} to RGB model input and keeps dark/bright apart`, async () => {
      const file = await writeFile(dir, `${name.replace(/\W+/g, '_')}.img`, await make());
      const { data, width, height } = await decodeForModel(file, 8);
      assert.equal(width, 8);
      assert.equal(height, 8);
      assert.equal(data.length, 8 * 8 * 3);
      const left = data[(4 * 8 + 1) * 3];
      const right = data[(4 * 8 + 6) * 3];
      assert.ok(left < 80 && right > 170, `left ${left}, right ${right}`);
      if (name.includes('grey')) assert.ok(data[0] === data[1] && data[1] === data[2], 'greyscale becomes equal R, G and B');
    });
  }

  it('reads PNG and JPEG sizes from the header the same as the decoder does', async () => {
    const base = (): sharp.Sharp => sharp({ create: { width: 37, height: 23, channels: 3, background: '#446688' } });
    const variants = [
      await base().png().toBuffer(),
      await base().png({ palette: true }).toBuffer(),
      await base().toColourspace('rgb16').png().toBuffer(),
      await base().jpeg().toBuffer(),
      await base().jpeg({ progressive: true }).toBuffer(),
      await base().toColourspace('cmyk').jpeg().toBuffer(),
      await base().withMetadata({ exif: { IFD0: { Copyright: 'x' } } }).jpeg().toBuffer(),
    ];
    for (const content of variants) {
      const header = await readImageHeader(content);
      assert.deepEqual([header.width, header.height], [37, 23], header.kind);
    }
  });

  it('decodes DICOM MONOCHROME2 with the window stored in the file', async () => {
    const pixels = new Uint16Array(16 * 8).map((_, i) => (i % 16 < 8 ? 1000 : 1200));
    const file = await writeFile(dir, 'mono2.dcm', dicomBytes({ width: 16, height: 8, pixels, photometric: 'MONOCHROME2', window: [1100, 200] }));
    const header = await readImageHeader(await fs.readFile(file));
    assert.deepEqual(header, { kind: 'dicom', width: 16, height: 8 });
    const { data } = await decodeForModel(file, 8);
    // 1000 is the window's low end (black), 1200 its high end (white).
    assert.ok(data[(4 * 8 + 1) * 3] < 10, `dark ${data[(4 * 8 + 1) * 3]}`);
    assert.ok(data[(4 * 8 + 6) * 3] > 245, `bright ${data[(4 * 8 + 6) * 3]}`);
  });

  it('inverts DICOM MONOCHROME1 and uses the full range without a window', async () => {
    const pixels = new Uint16Array(16 * 8).map((_, i) => (i % 16 < 8 ? 0 : 4000));
    const file = await writeFile(dir, 'mono1.dcm', dicomBytes({ width: 16, height: 8, pixels, photometric: 'MONOCHROME1' }));
    const { data } = await decodeForModel(file, 8);
    assert.ok(data[(4 * 8 + 1) * 3] > 245, 'low values are white in MONOCHROME1');
    assert.ok(data[(4 * 8 + 6) * 3] < 10, 'high values are black in MONOCHROME1');
  });

  it('refuses a DICOM file whose pixel data is cut short', async () => {
    const whole = dicomBytes({ width: 16, height: 8, pixels: new Uint16Array(128), photometric: 'MONOCHROME2' });
    const file = await writeFile(dir, 'short.dcm', whole.subarray(0, whole.length - 100));
    await assert.rejects(decodeForModel(file, 8), /truncated|unreadable DICOM/);
  });

  it('writes a 256 px WebP thumbnail named by content hash and reuses it', async () => {
    const file = await writeFile(dir, 'big.png', await pngBytes(3, 600, 300));
    const cache = path.join(dir, 'thumbs');
    const made = await thumbnail(file, HASH, cache);
    assert.equal(made, thumbnailPath(cache, HASH));
    const meta = await sharp(made).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.width, 256);
    assert.equal(meta.height, 128);
    // A cached thumbnail is served without reading the source again.
    await fs.rm(file);
    assert.equal(await thumbnail(file, HASH, cache), made);
  });

  it('gives model input and thumbnail from one call', async () => {
    const file = await writeFile(dir, 'both.png', await pngBytes(4, 2000, 1600));
    const hash = 'b'.repeat(64);
    const result = await decodeImage(file, { modelSize: 224, thumbnail: { hash, cacheDir: path.join(dir, 'thumbs') } });
    assert.equal(result.model?.data.length, 224 * 224 * 3);
    assert.equal((await sharp(result.thumbnailPath!).metadata()).width, 256);
  });

  it('refuses an image above the pixel limit from its header (decompression bomb)', async () => {
    const file = await writeFile(dir, 'bomb.png', await pngDeclaring(30_000, 30_000));
    assert.ok(30_000 * 30_000 > MAX_IMAGE_PIXELS);
    await assert.rejects(decodeForModel(file, 8), /too large: 30000 × 30000 exceeds the limit/);
    await assert.rejects(thumbnail(file, HASH.replace('a', 'c'), path.join(dir, 'thumbs')), /too large/);
  });

  it('explains empty, text, truncated and unknown files instead of crashing', async () => {
    const png = await pngBytes(5, 64, 64);
    const cases: [string, Buffer, RegExp][] = [
      ['empty.png', Buffer.alloc(0), /empty file/],
      ['text.png', Buffer.from('hello, this is not an image\n'), /content is text/],
      ['truncated.png', png.subarray(0, Math.floor(png.length / 2)), /truncated PNG/],
      ['noise.png', Buffer.from([0, 1, 2, 3, 250, 251, 252, 253]), /unrecognised content/],
    ];
    for (const [name, content, expected] of cases) {
      const file = await writeFile(dir, name, content);
      await assert.rejects(decodeForModel(file, 8), expected, name);
    }
  });

  it('rejects a thumbnail hash that is not sha256 hex (it becomes a file name)', () => {
    assert.throws(() => thumbnailPath(dir, '../../etc/passwd'), /not a sha256/);
  });

  it('puts the command-line thumbnail cache in the user cache folder', () => {
    assert.equal(userThumbnailCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, 'linux'), '/var/cache/me/xray-curator/thumbnails');
    assert.equal(userThumbnailCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux'), path.join(os.homedir(), '.cache', 'xray-curator', 'thumbnails'));
    assert.equal(userThumbnailCacheDir({}, 'darwin'), path.join(os.homedir(), 'Library', 'Caches', 'xray-curator', 'thumbnails'));
  });
});
