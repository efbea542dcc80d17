import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { fetchBackbone, loadBackbone } from '../../../src/ml/backbone';
import { EmbedPool } from '../../../src/ml/embedPool';
import { decodeToInput, scaleToInput } from '../../../src/ml/preprocess';
import { BACKBONE_DIR, requireShared } from '../../support/shared';
import { syntheticImage, tempDir } from './mlFixtures';
import type { Fixture } from './mlFixtures';

describe('ml/embedPool and preprocess', function () {
  this.timeout(120_000);
  let dir: Fixture;
  let files: string[];
  let pool: EmbedPool;

  before(async () => {
    dir = tempDir('xray-embed-');
    files = [];
    for (let i = 0; i < 6; i++) {
      const file = path.join(dir.root, `img${i}.png`);
      fs.writeFileSync(file, await syntheticImage(i % 2 ? 'A' : 'B', i, 64 + i * 10));
      files.push(file);
    }
    // An RGBA JPEG-less case: a PNG with alpha and a non-square shape.
    const rgba = path.join(dir.root, 'rgba.png');
    await sharp({ create: { width: 50, height: 30, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toFile(rgba);
    files.push(rgba);
    fs.writeFileSync(path.join(dir.root, 'broken.png'), 'not an image at all');
    pool = await EmbedPool.create(await fetchBackbone(requireShared(BACKBONE_DIR)), { workers: 2, batchSize: 3 });
  });
  after(async () => {
    await pool.close();
    dir.remove();
  });

  it('decodes any image to RGB at the input size, scaled to [-1, 1]', async () => {
    const rgb = await decodeToInput(files[files.length - 1], 224, 224);
    assert.equal(rgb.length, 224 * 224 * 3);
    const scaled = new Float32Array(rgb.length);
    scaleToInput(rgb, scaled, 0);
    assert.ok(scaled.every((v) => v >= -1 && v <= 1));
    assert.ok(Math.abs(scaled[0] - (rgb[0] / 127.5 - 1)) < 1e-6);
    await assert.rejects(decodeToInput(path.join(dir.root, 'broken.png'), 224, 224));
  });

  it('embeds in worker threads, in order, like the model on this thread', async () => {
    assert.equal(pool.info.featureDim, 1280);
    assert.deepEqual(pool.info.inputSize, [224, 224]);
    assert.equal(pool.info.fastPath, true);
    const progress: number[] = [];
    const result = await pool.embed(files.map((p) => ({ path: p })), { onProgress: (p) => progress.push(p.done) });
    assert.equal(result.vectors.length, files.length * 1280);
    assert.deepEqual(result.errors, files.map(() => null));
    // One report per job (batches of 3, 3 and 1), in whatever order the workers finish.
    assert.equal(progress.length, 3);
    assert.ok(progress.every((done, i) => i === 0 || done > progress[i - 1]));
    assert.equal(progress[2], 7);

    // Reference: the plain layers model + global average pooling on this thread.
    const backbone = await loadBackbone(BACKBONE_DIR);
    const rgb = await decodeToInput(files[4], 224, 224);
    const input = new Float32Array(rgb.length);
    scaleToInput(rgb, input, 0);
    const expected = tf.tidy(() => tf.mean(backbone.model.predict(tf.tensor4d(input, [1, 224, 224, 3])) as tf.Tensor, [1, 2]).dataSync());
    backbone.model.dispose();
    const row = result.vectors.subarray(4 * 1280, 5 * 1280);
    for (let j = 0; j < 1280; j++) assert.ok(Math.abs(row[j] - expected[j]) < 1e-3, `feature ${j}`);
    assert.notDeepEqual(Array.from(row), Array.from(result.vectors.subarray(0, 1280)));
  });

  it('reports an unreadable file as that item\'s error and embeds the rest', async () => {
    const tasks = [files[0], path.join(dir.root, 'broken.png'), path.join(dir.root, 'missing.png'), files[1]].map((p) => ({ path: p }));
    const result = await pool.embed(tasks);
    assert.equal(result.errors[0], null);
    assert.match(result.errors[1] ?? '', /.+/);
    assert.match(result.errors[2] ?? '', /ENOENT|no such file/);
    assert.equal(result.errors[3], null);
    assert.ok(result.vectors.subarray(1280, 2 * 1280).every((v) => v === 0));
  });

  it('stops when cancelled and stays usable', async () => {
    const controller = new AbortController();
    const many = Array.from({ length: 60 }, (_, i) => ({ path: files[i % 6] }));
    const run = pool.embed(many, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(run, (error: Error) => error.name === 'AbortError');
    const after = await pool.embed([{ path: files[0] }]);
    assert.equal(after.errors[0], null);
  });

  it('refuses work once closed', async () => {
    const closed = await EmbedPool.create(await fetchBackbone(BACKBONE_DIR), { workers: 1 });
    await closed.close();
    await assert.rejects(closed.embed([{ path: files[0] }]), /closed/);
  });

  it('rejects a bad pool size', async () => {
    await assert.rejects(EmbedPool.create(await fetchBackbone(BACKBONE_DIR), { workers: 0 }), /workers must be a positive integer/);
  });
});
