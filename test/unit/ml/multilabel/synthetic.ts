// Seeded synthetic multi-label data: feature j drives finding j (present when it is high), so a linear sigmoid head
// can learn every finding and tests can check it did.
import type { FindingState, Findings } from '../../../../src/dataset/multilabel/types';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export interface SyntheticSet {
  features: Float32Array;
  states: Findings[];
}

/** `n` items of `dim` features; finding j is positive when feature j (plus noise) exceeds 0.8, else negative. */
export function syntheticFindings(n: number, dim: number, findings: readonly string[], seed: number): SyntheticSet {
  const random = lcg(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const features = new Float32Array(n * dim);
  const states: Findings[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) features[i * dim + j] = gauss();
    states.push(Object.fromEntries(findings.map((finding, f): [string, FindingState] => [finding, features[i * dim + f] + 0.3 * gauss() > 0.8 ? 'positive' : 'negative'])));
  }
  return { features, states };
}
