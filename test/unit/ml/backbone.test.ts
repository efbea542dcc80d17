import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { backboneDigest, fetchBackbone, loadBackbone } from '../../../src/ml/backbone';
import { initEngine } from '../../../src/ml/engine';
import { BACKBONE_DIR, requireShared } from '../../support/shared';
import { tempDir } from './mlFixtures';
import type { Fixture } from './mlFixtures';

/** Serves the shared backbone folder on a loopback port and counts the requests. */
function serveFolder(dir: string): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    const file = path.join(dir, path.basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/m/model.json`, requests: () => count, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

describe('ml/backbone', function () {
  this.timeout(120_000);
  let cache: Fixture;
  let digest: string;

  before(async () => {
    requireShared(BACKBONE_DIR);
    digest = await backboneDigest(BACKBONE_DIR);
    cache = tempDir('xray-backbone-cache-');
  });
  after(() => cache.remove());

  it('reports the engine in use: wasm with SIMD when tfjs-node is absent', async () => {
    const engine = await initEngine();
    assert.equal(tf.getBackend(), engine.backend);
    assert.ok(engine.backend === 'tensorflow' || (engine.backend === 'wasm' && engine.simd), JSON.stringify(engine));
  });

  it('loads a folder and reads its sizes from the model', async () => {
    const before = tf.memory().numTensors;
    const b = await loadBackbone(BACKBONE_DIR, { sha256: digest });
    assert.equal(b.id, `mobilenet_v2_0.35_224@${digest.slice(0, 16)}`);
    assert.deepEqual(b.inputSize, [224, 224]);
    assert.deepEqual(b.featureShape, [7, 7, 1280]);
    assert.equal(b.featureDim, 1280);
    b.model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses a folder whose digest differs from the pinned one', async () => {
    await assert.rejects(loadBackbone(BACKBONE_DIR, { sha256: '0'.repeat(64) }), /has SHA-256 .* expected 0000/);
  });

  it('explains a folder without model.json', async () => {
    await assert.rejects(loadBackbone(cache.root), /no readable model\.json/);
  });

  it('downloads a URL once, verifies it, and then loads from the cache without the network', async () => {
    const server = await serveFolder(BACKBONE_DIR);
    try {
      const first = await fetchBackbone(server.url, { sha256: digest, cacheDir: cache.root });
      assert.equal(first.digest, digest);
      assert.ok(first.dir.startsWith(cache.root));
      assert.ok(fs.existsSync(path.join(first.dir, 'source.json')));
      const served = server.requests();
      assert.equal(served, 2); // model.json + one shard
      const b = await loadBackbone(server.url, { sha256: digest, cacheDir: cache.root });
      assert.equal(server.requests(), served);
      assert.equal(b.digest, digest);
      b.model.dispose();
    } finally {
      await server.close();
    }
  });

  it('rejects a download whose SHA-256 does not match, an unpinned URL and a missing file', async () => {
    const server = await serveFolder(BACKBONE_DIR);
    const other = tempDir('xray-backbone-cache2-');
    try {
      await assert.rejects(fetchBackbone(server.url, { sha256: 'f'.repeat(64), cacheDir: other.root }), /has SHA-256 .* expected ffff/);
      assert.deepEqual(fs.readdirSync(other.root), [], 'nothing is cached from a bad download');
      await assert.rejects(fetchBackbone(server.url, { cacheDir: other.root }), /needs its SHA-256/);
      await assert.rejects(fetchBackbone(server.url.replace('model.json', 'nothing.json'), { sha256: digest, cacheDir: other.root }), /HTTP 404/);
    } finally {
      await server.close();
      other.remove();
    }
  });
});
