/**
 * The active-learning queue: which candidates to label next, by one of three strategies.
 * - `uncertainty`: most uncertain first under the latest model (normalised entropy, or 1 − margin); score = that uncertainty.
 * - `diversity`: k-center greedy on the unit embeddings, seeded with the labelled items; score = the pick's distance
 *   to the nearest labelled or earlier pick.
 * - `mixed`: the `mixedPoolFactor × k` most uncertain candidates, then k-center greedy among them (seeded with the
 *   labelled items): uncertain items, but not k near-copies of one uncertain image; score as for `diversity`.
 * Candidates the model has not scored are left out of `uncertainty` and `mixed`. Pure: callable from a worker.
 */
import { fitProjection, projectRows } from '../similarity/projection';
import { unitRows } from '../similarity/vectors';
import type { VectorTable } from '../similarity/vectors';
import { kCenterGreedy } from './kCenter';
import { findingsUncertainty, uncertainty } from './uncertainty';
import type { UncertaintyMeasure } from './uncertainty';

export const NEXT_STRATEGIES = ['uncertainty', 'diversity', 'mixed'] as const;
export type NextStrategy = (typeof NEXT_STRATEGIES)[number];

export interface NextConfig {
  /** Default `entropy`. */
  measure: UncertaintyMeasure;
  /** `mixed` runs k-center greedy on this many times k of the most uncertain candidates. Default 4. */
  mixedPoolFactor: number;
  /** Above `projectAbove` rows, k-center greedy runs on this many principal components (distances are kept, mostly). Defaults 64 and 5,000. */
  diversityComponents: number;
  projectAbove: number;
  /** Seed of that projection. Default 0. */
  seed: number;
}

export const DEFAULT_NEXT_CONFIG: NextConfig = { measure: 'entropy', mixedPoolFactor: 4, diversityComponents: 64, projectAbove: 5000, seed: 0 };

export interface NextInput {
  /** Embeddings (not necessarily normalised) of every row; needed by `diversity` and `mixed`. */
  vectors?: VectorTable;
  /** Rows that may be queued. */
  candidates: readonly number[];
  /** Rows already labelled (the k-center seeds). */
  labelled: readonly number[];
  /** Per row: the latest model's class probabilities, or null where it has none; needed by `uncertainty` and `mixed`. */
  probs?: readonly (readonly number[] | null)[];
  /** `probs` are one independent probability per finding (a multi-label model): uncertainty is `findingsUncertainty`. */
  multiLabel?: boolean;
}

export interface RankedRow {
  row: number;
  score: number;
}

export function rankNext(strategy: NextStrategy, input: NextInput, k: number, config: Partial<NextConfig> = {}): RankedRow[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const c = { ...DEFAULT_NEXT_CONFIG, ...config };
  if (strategy === 'uncertainty') return byUncertainty(input, c).slice(0, k);
  const pool = strategy === 'mixed' ? byUncertainty(input, c).slice(0, Math.ceil(c.mixedPoolFactor * k)).map((r) => r.row) : input.candidates;
  return kCenterGreedy(diversitySpace(input, c), pool, input.labelled, k).map((p) => ({ row: p.row, score: p.distance }));
}

function byUncertainty(input: NextInput, c: NextConfig): RankedRow[] {
  if (!input.probs) throw new Error('the uncertainty of an item needs the predictions of a model: score the dataset first');
  const probs = input.probs;
  const measure = input.multiLabel ? findingsUncertainty : uncertainty;
  return input.candidates
    .flatMap((row) => (probs[row] ? [{ row, score: measure(probs[row]!, c.measure) }] : []))
    .sort((a, b) => b.score - a.score || a.row - b.row);
}

function diversitySpace(input: NextInput, c: NextConfig): VectorTable {
  if (!input.vectors) throw new Error('diversity needs the embeddings of the items');
  const unit = unitRows(input.vectors);
  if (unit.rows <= c.projectAbove || unit.cols <= c.diversityComponents) return unit;
  return projectRows(fitProjection(unit, c.diversityComponents, c.seed), unit);
}
