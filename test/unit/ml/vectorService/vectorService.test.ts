import * as assert from 'node:assert/strict';
import { writeFindingPredictions } from '../../../../src/ml/multilabel/findingPredictions';
import { findingsUncertainty } from '../../../../src/ml/nextQueue/uncertainty';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDirOf } from '../../../../src/dataset/userCache';
import { EmbeddingCache } from '../../../../src/ml/embeddingCache';
import type { EmbeddingSpace } from '../../../../src/ml/embeddingCache';
import { predictionsPath, PREDICTIONS_VERSION } from '../../../../src/ml/predictionFiles';
import { cachedVectors, newestSpace } from '../../../../src/ml/vectorService/cachedVectors';
import { VectorService } from '../../../../src/ml/vectorService/vectorService';
import { tempDir } from '../mlFixtures';
import type { Fixture } from '../mlFixtures';

const SPACE: EmbeddingSpace = { backboneId: 'test@0', inputSize: [4, 4], preprocessVersion: 1, featureDim: 3 };

/** Item i's vector: two tight groups on the x and y axes, so each item's neighbours are its own group. */
const vector = (i: number): Float32Array => Float32Array.from(i < 5 ? [1, 0.01 * i, 0] : [0.01 * i, 1, 0]);

describe('the vector service (cached embeddings, similarity, next to label, map)', function () {
  this.timeout(60_000);
  let data: Fixture;
  const items = Array.from({ length: 10 }, (_, i) => ({ id: `${i < 5 ? 'A' : 'B'}/img${i}.png`, hash: `h${i}` }));
  // One item never embedded, one with no hash (unreadable).
  const all = [...items, { id: 'A/new.png', hash: 'h-new' }, { id: 'A/broken.png', hash: null }];

  before(async () => {
    data = tempDir('xray-vectors-');
    const cache = await EmbeddingCache.open(stateDirOf(data.root), SPACE);
    await cache.putMany(items.map((item, i) => ({ hash: item.hash, view: '', vector: vector(i) })));
  });
  after(() => data.remove());

  it('reads only what is cached, in item order and at unit length, and counts the rest as missing', async () => {
    assert.deepEqual(await newestSpace(stateDirOf(data.root)), SPACE);
    const vectors = await cachedVectors(stateDirOf(data.root), all);
    assert.deepEqual(vectors.ids, items.map((item) => item.id));
    assert.equal(vectors.missing, 2);
    // Row 1 is item 1's vector at unit length.
    const raw = vector(1);
    const length = Math.hypot(...raw);
    [...vectors.table.data.subarray(3, 6)].forEach((v, c) => assert.ok(Math.abs(v - raw[c] / length) < 1e-6, `value ${c}: ${v}`));
    assert.equal(vectors.table.unit, true);
  });

  it('says what to do when nothing was embedded', async () => {
    const empty = tempDir('xray-vectors-empty-');
    try {
      const service = new VectorService(empty.root, all);
      await assert.rejects(service.similar({ id: 'A/img0.png', k: 3 }), /Score Dataset/);
      await service.close();
    } finally {
      empty.remove();
    }
  });

  it('answers "more like this" from the worker, nearest first, and refuses an item with no embedding', async () => {
    const service = new VectorService(data.root, all);
    try {
      const progress: string[] = [];
      const answer = await service.similar({ id: 'A/img0.png', k: 4 }, (message) => progress.push(message));
      assert.deepEqual(answer.neighbours.map((n) => n.id), ['A/img1.png', 'A/img2.png', 'A/img3.png', 'A/img4.png']);
      assert.ok(answer.neighbours.every((n, i, list) => i === 0 || list[i - 1].similarity >= n.similarity));
      assert.deepEqual([answer.indexed, answer.missing, answer.approximate], [10, 2, false]);
      assert.ok(progress.some((message) => /indexing 10 embeddings/.test(message)), progress.join('; '));
      const b = await service.similar({ id: 'B/img9.png', k: 2 });
      assert.deepEqual(b.neighbours.map((n) => n.id), ['B/img8.png', 'B/img7.png']);
      await assert.rejects(service.similar({ id: 'A/new.png', k: 2 }), /no cached embedding/);
    } finally {
      await service.close();
    }
    await assert.rejects(service.similar({ id: 'A/img0.png', k: 2 }), /closed/);
  });

  it('queues the most uncertain candidates under the latest predictions, and diverse ones without', async () => {
    const file = predictionsPath(data.root, 3);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Item i's probabilities: the higher i, the nearer to 50/50 (up to img4), img9 certain.
    const probs = (i: number): number[] => (i === 9 ? [0, 1] : [1 - 0.1 * i, 0.1 * i]);
    const predicted = items.filter((_, i) => i !== 8).map((item, i) => ({ id: item.id, probs: probs(i < 8 ? i : 9) }));
    fs.writeFileSync(file, JSON.stringify({ version: PREDICTIONS_VERSION, modelVersion: 3, classes: ['A', 'B'], items: predicted, errors: [] }));
    const service = new VectorService(data.root, all);
    try {
      const candidates = ['A/img1.png', 'A/img3.png', 'B/img5.png', 'B/img8.png', 'B/img9.png', 'A/new.png'];
      const ranked = await service.next({ strategy: 'uncertainty', k: 10, candidates, labelled: ['A/img0.png'], multiLabel: false });
      // img5 is 0.5/0.5, img3 0.7/0.3, img1 0.9/0.1, img9 certain; img8 has no prediction, A/new.png no embedding.
      assert.deepEqual(ranked.items.map((r) => r.id), ['B/img5.png', 'A/img3.png', 'A/img1.png', 'B/img9.png']);
      assert.equal(ranked.modelVersion, 3);
      assert.equal(ranked.skipped, 2);
      const diverse = await service.next({ strategy: 'diversity', k: 2, candidates: items.slice(1).map((i) => i.id), labelled: ['A/img0.png'], multiLabel: false });
      // Seeded with an A item, the farthest candidate is a B one.
      assert.match(diverse.items[0].id, /^B\//);
      assert.equal(diverse.modelVersion, null);
      // A multi-label dataset ranks by its findings model: img3 is unsure of both findings, img1 of one, img5 of none.
      await writeFindingPredictions(data.root, {
        modelVersion: 4,
        findings: ['Edema', 'Mass'],
        thresholds: [0.5, 0.5],
        items: [
          { id: 'A/img1.png', probs: [0.5, 0.01] },
          { id: 'A/img3.png', probs: [0.4, 0.6] },
          { id: 'B/img5.png', probs: [0.99, 0.01] },
        ],
        errors: [],
      });
      const findings = await service.next({ strategy: 'uncertainty', k: 10, candidates, labelled: [], multiLabel: true });
      assert.deepEqual(findings.items.map((r) => r.id), ['A/img3.png', 'A/img1.png', 'B/img5.png']);
      assert.equal(findings.modelVersion, 4);
      assert.ok(Math.abs(findings.items[1].score - findingsUncertainty([0.5, 0.01])) < 1e-12);
    } finally {
      await service.close();
      fs.rmSync(file);
    }
  });

  it('maps every cached item once, and reads the map back from the state folder the second time', async () => {
    const first = new VectorService(data.root, all);
    const second = new VectorService(data.root, all);
    try {
      const map = await first.map();
      assert.deepEqual(map.ids, items.map((item) => item.id));
      assert.equal(map.x.length, 10);
      assert.ok([...map.x, ...map.y].every(Number.isFinite));
      assert.equal(map.cached, false);
      const again = await second.map();
      assert.equal(again.cached, true);
      assert.deepEqual([...again.x], [...map.x]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
