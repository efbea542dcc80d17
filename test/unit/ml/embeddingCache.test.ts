import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmbeddingCache } from '../../../src/ml/embeddingCache';
import type { EmbeddingSpace } from '../../../src/ml/embeddingCache';
import { tempDir } from './mlFixtures';
import type { Fixture } from './mlFixtures';

const SPACE: EmbeddingSpace = { backboneId: 'net@0123', inputSize: [224, 224], preprocessVersion: 1, featureDim: 4 };
const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

describe('ml/embeddingCache', () => {
  let state: Fixture;
  beforeEach(() => {
    state = tempDir('xray-cache-');
  });
  afterEach(() => state.remove());

  it('stores vectors by (content hash, view) and reloads them from disk', async () => {
    const cache = await EmbeddingCache.open(state.root, SPACE);
    await cache.putMany([
      { hash: H1, view: '', vector: Float32Array.of(1, 2, 3, 4) },
      { hash: H1, view: 'aug:x:1', vector: Float32Array.of(5, 6, 7, 8) },
    ]);
    assert.deepEqual(cache.get(H1), Float32Array.of(1, 2, 3, 4));
    assert.equal(cache.get(H2), undefined);
    const reopened = await EmbeddingCache.open(state.root, SPACE);
    assert.equal(reopened.size, 2);
    assert.deepEqual(reopened.get(H1, 'aug:x:1'), Float32Array.of(5, 6, 7, 8));
    const meta = JSON.parse(fs.readFileSync(path.join(reopened.dir, 'meta.json'), 'utf8')) as { version: number };
    assert.equal(meta.version, 1);
  });

  it('appends a vector once even when stored twice', async () => {
    const cache = await EmbeddingCache.open(state.root, SPACE);
    await cache.putMany([{ hash: H1, view: '', vector: Float32Array.of(1, 2, 3, 4) }]);
    await cache.putMany([{ hash: H1, view: '', vector: Float32Array.of(9, 9, 9, 9) }]);
    assert.equal(fs.statSync(path.join(cache.dir, 'vectors.bin')).size, 32 + 16);
    assert.deepEqual((await EmbeddingCache.open(state.root, SPACE)).get(H1), Float32Array.of(1, 2, 3, 4));
  });

  it('keeps backbones, input sizes and preprocessing versions apart', async () => {
    const cache = await EmbeddingCache.open(state.root, SPACE);
    await cache.putMany([{ hash: H1, view: '', vector: Float32Array.of(1, 2, 3, 4) }]);
    assert.equal((await EmbeddingCache.open(state.root, { ...SPACE, backboneId: 'net@9999' })).size, 0);
    assert.equal((await EmbeddingCache.open(state.root, { ...SPACE, inputSize: [192, 192] })).size, 0);
    assert.equal((await EmbeddingCache.open(state.root, { ...SPACE, preprocessVersion: 2 })).size, 0);
  });

  it('drops a partial record left by a crash and stays appendable', async () => {
    const cache = await EmbeddingCache.open(state.root, SPACE);
    await cache.putMany([{ hash: H1, view: '', vector: Float32Array.of(1, 2, 3, 4) }]);
    fs.appendFileSync(path.join(cache.dir, 'vectors.bin'), Buffer.alloc(10, 7));
    const reopened = await EmbeddingCache.open(state.root, SPACE);
    assert.equal(reopened.size, 1);
    await reopened.putMany([{ hash: H2, view: '', vector: Float32Array.of(4, 3, 2, 1) }]);
    const again = await EmbeddingCache.open(state.root, SPACE);
    assert.deepEqual(again.get(H2), Float32Array.of(4, 3, 2, 1));
    assert.deepEqual(again.get(H1), Float32Array.of(1, 2, 3, 4));
  });

  it('rejects a vector of the wrong length', async () => {
    const cache = await EmbeddingCache.open(state.root, SPACE);
    await assert.rejects(cache.putMany([{ hash: H1, view: '', vector: Float32Array.of(1, 2) }]), /has 2 values, the cache holds 4/);
  });
});
