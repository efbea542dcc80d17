// The similarity index and the dataset map at scale, on synthetic cached items (seeded random unit vectors of the
// built-in backbone's 1,280 dimensions): index build time and query latency (k = 20) at 50,000 and 400,000 items
// (target ≤ 100 ms per query, issue 16), and map build time (PCA + UMAP on a sample + placement of the rest).
// Random vectors have no neighbour structure, so this measures speed only; recall is tested on structured data
// (test/unit/ml/similarity). The engine is set up as the vector-service worker sets it up (wasm, else cpu).
// Options: --quick (50,000 items only), --queries N (default 100).
import { initEngine } from '../src/ml/engine';
import { computeMap } from '../src/ml/map/computeMap';
import { SimilarityIndex } from '../src/ml/similarity/similarityIndex';
import { normaliseRows } from '../src/ml/similarity/vectors';
import type { VectorTable } from '../src/ml/similarity/vectors';
import { seededRandom } from '../src/ml/splits';
import { progress, runBenchmark } from './lib/child';
import type { MetricValue } from './lib/child';
import { median, percentile, timed } from './lib/stats';

const DIM = 1280;
const K = 20;

/** `rows` seeded Gaussian vectors scaled to unit length. */
function randomUnitVectors(rows: number, seed: number): VectorTable {
  const random = seededRandom(seed);
  const data = new Float32Array(rows * DIM);
  for (let i = 0; i < data.length; i++) data[i] = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  // Normalised in place, as the vector service holds the cached embeddings: the index keeps them with no copy.
  return normaliseRows(data, rows, DIM, data);
}

runBenchmark('similarity', async ({ quick, options }) => {
  const sizes = quick ? [50_000] : [50_000, 400_000];
  const queries = Number(options.get('queries') ?? 100);
  const engine = await initEngine(['wasm', 'cpu']);
  const metrics: Record<string, MetricValue> = {};
  const details: Record<string, unknown> = {};
  for (const n of sizes) {
    progress('similarity', `${n} random unit vectors of ${DIM} dimensions`);
    const table = randomUnitVectors(n, n);
    const build = await timed(() => SimilarityIndex.ofTable(table));
    const index = build.result;
    const random = seededRandom(7);
    const latencies: number[] = [];
    for (let q = 0; q < queries; q++) {
      const row = Math.floor(random() * n);
      const started = performance.now();
      index.nearestToRow(row, K);
      latencies.push(performance.now() - started);
    }
    progress('similarity', `map of ${n} items`);
    const map = await timed(() => computeMap(table));
    metrics[`similarity.${n}.buildSeconds`] = build.ms / 1000;
    metrics[`similarity.${n}.queryMs`] = median(latencies);
    metrics[`similarity.${n}.queryP95Ms`] = percentile(latencies, 95);
    metrics[`map.${n}.buildSeconds`] = map.ms / 1000;
    details[`${n}`] = { approximate: index.approximate, config: index.config, mapFitted: map.result.fitted };
    progress('similarity', `${n}: index ${(build.ms / 1000).toFixed(1)} s, query median ${median(latencies)?.toFixed(1)} ms, map ${(map.ms / 1000).toFixed(1)} s`);
  }
  return {
    metrics,
    inputs: { dim: DIM, k: K, queries, sizes, vectors: 'seeded Gaussian, normalised to unit length', cores: 'one thread', engine: engine.backend },
    details,
  };
});
