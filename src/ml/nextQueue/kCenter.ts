/**
 * k-center greedy (Sener & Savarese 2018, "Active learning for convolutional neural networks: a core-set
 * approach"): repeatedly take the candidate farthest from every labelled item and every item taken so far, so the
 * picks cover the embedding space. Distances are Euclidean between the given rows (for unit rows, √(2 − 2·cos)).
 */
import { dotAt } from '../similarity/vectors';
import type { VectorTable } from '../similarity/vectors';

export interface KCenterPick {
  row: number;
  /** Its distance to the nearest labelled or earlier pick when taken; for the first pick with nothing labelled, its distance to the candidates' mean. */
  distance: number;
}

/**
 * Up to `k` of `candidates` (rows of `table`) in pick order. With no `labelled` rows the first pick is the candidate
 * nearest the candidates' mean (the most typical one), so the queue never starts on an outlier. Ties go to the
 * lower row.
 */
export function kCenterGreedy(table: VectorTable, candidates: readonly number[], labelled: readonly number[], k: number): KCenterPick[] {
  const { data, cols } = table;
  const count = Math.min(k, candidates.length);
  if (count <= 0) return [];
  const norms = Float64Array.from(candidates, (r) => dotAt(data, r * cols, data, r * cols, cols));
  const minDist2 = new Float64Array(candidates.length).fill(Infinity);
  const taken = new Uint8Array(candidates.length);
  const update = (row: number): void => {
    const centreNorm = dotAt(data, row * cols, data, row * cols, cols);
    candidates.forEach((r, i) => {
      if (taken[i]) return;
      const d2 = Math.max(norms[i] + centreNorm - 2 * dotAt(data, r * cols, data, row * cols, cols), 0);
      if (d2 < minDist2[i]) minDist2[i] = d2;
    });
  };
  for (const row of labelled) update(row);

  const picks: KCenterPick[] = [];
  if (labelled.length === 0) {
    const first = nearestToMean(table, candidates);
    picks.push({ row: candidates[first.index], distance: first.distance });
    taken[first.index] = 1;
    update(candidates[first.index]);
  }
  while (picks.length < count) {
    let best = -1;
    for (let i = 0; i < candidates.length; i++) if (!taken[i] && (best < 0 || minDist2[i] > minDist2[best])) best = i;
    picks.push({ row: candidates[best], distance: Math.sqrt(minDist2[best]) });
    taken[best] = 1;
    update(candidates[best]);
  }
  return picks;
}

function nearestToMean(table: VectorTable, candidates: readonly number[]): { index: number; distance: number } {
  const { data, cols } = table;
  const mean = new Float32Array(cols);
  for (const r of candidates) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c] / candidates.length;
  let best = { index: 0, distance: Infinity };
  candidates.forEach((r, i) => {
    let d2 = 0;
    for (let c = 0; c < cols; c++) d2 += (data[r * cols + c] - mean[c]) ** 2;
    if (Math.sqrt(d2) < best.distance) best = { index: i, distance: Math.sqrt(d2) };
  });
  return best;
}
