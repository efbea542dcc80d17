import * as assert from 'node:assert/strict';
import { computeMap } from '../../../../src/ml/map/computeMap';
import { seededRandom } from '../../../../src/ml/splits';
import type { VectorTable } from '../../../../src/ml/similarity/vectors';

/** `perCluster` noisy vectors around each of two orthogonal directions in `dim` dimensions: rows of cluster 0 first. */
function twoClusters(perCluster: number, dim: number, seed: number): VectorTable {
  const random = seededRandom(seed);
  const data = new Float32Array(2 * perCluster * dim);
  for (let r = 0; r < 2 * perCluster; r++) {
    for (let c = 0; c < dim; c++) data[r * dim + c] = 0.3 * (random() - 0.5);
    data[r * dim + (r < perCluster ? 0 : 1)] += 1;
  }
  return { data, rows: 2 * perCluster, cols: dim };
}

/** Whether every point is nearer its own cluster's centroid than the other's (clusters: first half, second half). */
function separated(x: Float32Array, y: Float32Array): boolean {
  const half = x.length / 2;
  const centroid = (from: number): [number, number] => {
    let [sx, sy] = [0, 0];
    for (let i = from; i < from + half; i++) [sx, sy] = [sx + x[i], sy + y[i]];
    return [sx / half, sy / half];
  };
  const centres = [centroid(0), centroid(half)];
  const d2 = (i: number, [cx, cy]: [number, number]): number => (x[i] - cx) ** 2 + (y[i] - cy) ** 2;
  return Array.from(x, (_, i) => (i < half ? 0 : 1)).every((own, i) => d2(i, centres[own]) < d2(i, centres[1 - own]));
}

describe('dataset map', function () {
  this.timeout(60_000);

  it('is the same for the same seed and separates two clusters', () => {
    const table = twoClusters(60, 64, 1);
    const a = computeMap(table, { seed: 7 });
    const b = computeMap(table, { seed: 7 });
    assert.equal(a.fitted, 120);
    assert.deepEqual(a.x, b.x);
    assert.deepEqual(a.y, b.y);
    assert.ok(separated(a.x, a.y), 'two orthogonal clusters overlap on the map');
    const other = computeMap(table, { seed: 8 });
    assert.notDeepEqual(other.x, a.x);
  });

  it('places rows beyond the fitted sample beside their own cluster', () => {
    const table = twoClusters(150, 32, 2);
    const map = computeMap(table, { seed: 3, fitSample: 80 });
    assert.equal(map.fitted, 80);
    assert.ok(separated(map.x, map.y), 'placed rows landed in the other cluster');
    assert.ok(Array.from(map.x).every(Number.isFinite) && Array.from(map.y).every(Number.isFinite));
  });

  it('draws tiny sets without UMAP', () => {
    assert.equal(computeMap({ data: new Float32Array(0), rows: 0, cols: 4 }).x.length, 0);
    const map = computeMap({ data: Float32Array.from([1, 0, 0, 0, 1, 0]), rows: 2, cols: 3 });
    assert.equal(map.x.length, 2);
    assert.notEqual(map.x[0], map.x[1]);
  });
});
