// The cached embeddings of a dataset's items as one table, for the similarity index, the map and the active-learning
// queue: items that cannot be embedded are left out with a warning, as the audit does.
import type { EmbeddableItem, MlSession, RunOptions } from '../session';
import type { VectorTable } from './vectors';

export interface ItemVectors<T extends EmbeddableItem> {
  /** The embedded items; row r of `table` is `items[r]`. */
  items: T[];
  /** Raw (not normalised) embeddings. */
  table: VectorTable;
  warnings: string[];
}

/** Embeds what the cache lacks, then returns one row per embeddable item, in the given order. */
export async function itemVectors<T extends EmbeddableItem>(session: MlSession, items: readonly T[], options: RunOptions = {}): Promise<ItemVectors<T>> {
  const candidates = items.filter((item) => !item.error && item.hash);
  const embedded = await session.embedItems(candidates, options);
  const dim = session.featureDim;
  const keep = candidates.flatMap((_, i) => (embedded.errors[i] ? [] : [i]));
  const warnings = candidates.flatMap((item, i) => (embedded.errors[i] ? [`${item.id}: no embedding: ${embedded.errors[i]}`] : []));
  const data = new Float32Array(keep.length * dim);
  keep.forEach((i, r) => data.set(embedded.features.subarray(i * dim, (i + 1) * dim), r * dim));
  return { items: keep.map((i) => candidates[i]), table: { data, rows: keep.length, cols: dim }, warnings };
}
