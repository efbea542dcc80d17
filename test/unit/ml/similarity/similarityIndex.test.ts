import * as assert from 'node:assert/strict';
import { SimilarityIndex } from '../../../../src/ml/similarity/similarityIndex';
import { TopK } from '../../../../src/ml/similarity/topK';
import { normaliseRows } from '../../../../src/ml/similarity/vectors';
import { seededRandom } from '../../../../src/ml/splits';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * `rows` vectors around `centres` random centres plus a random bias, with noise whose scale decays along the
 * dimensions (1/(1 + c/4)): a spectrum that falls off, as image embeddings' does.
 */
function clustered(rows: number, dim: number, centres: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const scale = Array.from({ length: dim }, (_, c) => 1 / (1 + c / 4));
  const bias = Array.from({ length: dim }, () => gaussian(random));
  const points = Array.from({ length: centres }, () => scale.map((s) => s * gaussian(random)));
  const data = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const centre = points[Math.floor(random() * centres)];
    for (let c = 0; c < dim; c++) data[r * dim + c] = bias[c] + centre[c] + 0.4 * scale[c] * gaussian(random);
  }
  return data;
}

/** Every other row by exact cosine, most similar first. */
function bruteForce(data: Float32Array, dim: number, row: number): { index: number; similarity: number }[] {
  const norm = (r: number): number => Math.sqrt(data.subarray(r * dim, (r + 1) * dim).reduce((s, v) => s + v * v, 0));
  const out: { index: number; similarity: number }[] = [];
  for (let r = 0; r < data.length / dim; r++) {
    if (r === row) continue;
    let dot = 0;
    for (let c = 0; c < dim; c++) dot += data[r * dim + c] * data[row * dim + c];
    out.push({ index: r, similarity: dot / (norm(r) * norm(row)) });
  }
  return out.sort((a, b) => b.similarity - a.similarity);
}

describe('similarity: bounded top-k heap', () => {
  it('keeps the k highest scores of a stream, highest first', () => {
    const random = seededRandom(3);
    const scores = Array.from({ length: 500 }, () => random());
    const top = new TopK(7);
    scores.forEach((s, i) => top.push(i, s));
    const expected = scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score).slice(0, 7);
    assert.deepEqual(top.sorted(), expected);
    assert.equal(top.threshold, expected[6].score);
    assert.throws(() => new TopK(0), /positive integer/);
  });
});

describe('similarity index', function () {
  this.timeout(60_000);
  const dim = 96;

  it('answers exactly like a brute-force cosine scan, without the query row or excluded rows', () => {
    const data = clustered(800, dim, 10, 1);
    const index = SimilarityIndex.ofTable({ data, rows: 800, cols: dim });
    assert.equal(index.approximate, false);
    for (const row of [0, 17, 799]) {
      const expected = bruteForce(data, dim, row).slice(0, 10);
      const got = index.nearestToRow(row, 10);
      assert.deepEqual(got.map((n) => n.index), expected.map((n) => n.index));
      got.forEach((n, i) => assert.ok(Math.abs(n.similarity - expected[i].similarity) < 1e-5));
    }
    const excluded = new Set([bruteForce(data, dim, 5)[0].index]);
    assert.ok(!index.nearestToRow(5, 3, excluded).some((n) => excluded.has(n.index) || n.index === 5));
    assert.equal(index.nearestToRow(3, 5000).length, 799);
    // A query vector equal to a row finds that row first, with cosine 1.
    const hit = index.nearestToVector(Array.from(data.subarray(42 * dim, 43 * dim), (v) => v * 3), 1)[0];
    assert.equal(hit.index, 42);
    assert.ok(Math.abs(hit.similarity - 1) < 1e-5);
  });

  it('keeps recall in its projected scan with few re-ranked candidates', () => {
    const rows = 3000;
    const data = clustered(rows, dim, 40, 2);
    const index = SimilarityIndex.ofTable({ data, rows, cols: dim }, { exactBelow: 0, components: 16, minCandidates: 40, candidatesPerResult: 4 });
    assert.equal(index.approximate, true);
    let found = 0;
    const queries = Array.from({ length: 50 }, (_, i) => i * 59);
    for (const row of queries) {
      const truth = new Set(bruteForce(data, dim, row).slice(0, 10).map((n) => n.index));
      const got = index.nearestToRow(row, 10);
      assert.ok(!got.some((n) => n.index === row));
      found += got.filter((n) => truth.has(n.index)).length;
    }
    const recall = found / (queries.length * 10);
    assert.ok(recall >= 0.9, `recall@10 ${recall}`);
  });

  it('ranks exactly by its projected scan when every component is kept (odd rows, components not a multiple of 4)', () => {
    const rows = 301;
    const cols = 7;
    const data = clustered(rows, cols, 12, 3);
    // One candidate per result: the coarse scores alone decide, so they must order rows as the exact cosine does.
    const index = SimilarityIndex.ofTable({ data, rows, cols }, { exactBelow: 0, components: cols, minCandidates: 1, candidatesPerResult: 1 });
    assert.equal(index.approximate, true);
    for (const row of [0, 150, 299, 300]) {
      const expected = bruteForce(data, cols, row).slice(0, 5);
      assert.deepEqual(index.nearestToRow(row, 5).map((n) => n.index), expected.map((n) => n.index), `row ${row}`);
    }
  });

  it('holds a unit table as it is, and normalises any other', () => {
    const raw = { data: clustered(50, dim, 5, 4), rows: 50, cols: dim };
    const unit = normaliseRows(raw.data, raw.rows, raw.cols);
    assert.equal(SimilarityIndex.ofTable(unit).table, unit);
    const fromRaw = SimilarityIndex.ofTable(raw);
    assert.notEqual(fromRaw.table.data, raw.data);
    assert.deepEqual(fromRaw.table.data, unit.data);
  });
});
