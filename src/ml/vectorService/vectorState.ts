// One dataset's cached embeddings and similarity index, loaded on the first query and kept for the next ones: what
// the vector-service worker answers from. Plain Node (no worker API), so tests call it directly.
import { stateDirOf } from '../../dataset/userCache';
import { mapOfTable } from '../map/datasetMap';
import { rankNext } from '../nextQueue/rankNext';
import { latestQueuePredictions } from '../nextQueue/queuePredictions';
import { SimilarityIndex } from '../similarity/similarityIndex';
import { cachedVectors } from './cachedVectors';
import type { CachedVectors, HashedItem } from './cachedVectors';
import type { Coverage, MapAnswer, NextAnswer, NextQuery, SimilarAnswer, SimilarQuery, VectorAnswer, VectorQuery } from './protocol';

export class VectorState {
  private vectors: Promise<CachedVectors> | undefined;
  private index: SimilarityIndex | undefined;
  private rowOf: Map<string, number> | undefined;

  constructor(
    private readonly root: string,
    private readonly items: readonly HashedItem[],
    private readonly progress: (message: string) => void = () => undefined,
  ) {}

  async answer(query: VectorQuery): Promise<VectorAnswer> {
    switch (query.type) {
      case 'similar':
        return this.similar(query);
      case 'next':
        return this.next(query);
      case 'map':
        return this.map();
    }
  }

  private async similar({ id, k }: SimilarQuery): Promise<SimilarAnswer> {
    const vectors = await this.load();
    const row = this.rowOf!.get(id);
    if (row === undefined) throw new Error(`${id} has no cached embedding yet: run X-Ray Curator: Score Dataset, then ask again`);
    if (!this.index) {
      this.progress(`indexing ${vectors.table.rows.toLocaleString('en-US')} embeddings`);
      this.index = SimilarityIndex.ofTable(vectors.table);
    }
    const neighbours = this.index.nearestToRow(row, k).map((n) => ({ id: vectors.ids[n.index], similarity: n.similarity }));
    return { type: 'similar', neighbours, approximate: this.index.approximate, ...coverage(vectors) };
  }

  private async next({ strategy, k, candidates, labelled, multiLabel }: NextQuery): Promise<NextAnswer> {
    const vectors = await this.load();
    const rowOf = this.rowOf!;
    const rows = (ids: readonly string[]): number[] => ids.flatMap((id) => (rowOf.has(id) ? [rowOf.get(id)!] : []));
    let candidateRows = rows(candidates);
    let probs: (number[] | null)[] | undefined;
    let modelVersion: number | null = null;
    if (strategy !== 'diversity') {
      const predictions = await latestQueuePredictions(this.root, multiLabel);
      if (!predictions) throw new Error(`the uncertainty strategies need a ${multiLabel ? 'findings ' : ''}model's predictions: run X-Ray Curator: Retrain Model, or pick diversity`);
      modelVersion = predictions.modelVersion;
      probs = vectors.ids.map((id) => predictions.probsById.get(id) ?? null);
      candidateRows = candidateRows.filter((row) => probs![row] !== null);
    }
    const ranked = rankNext(strategy, { vectors: vectors.table, candidates: candidateRows, labelled: rows(labelled), probs, multiLabel }, k);
    return {
      type: 'next',
      items: ranked.map((r) => ({ id: vectors.ids[r.row], score: r.score })),
      modelVersion,
      skipped: candidates.length - candidateRows.length,
      ...coverage(vectors),
    };
  }

  private async map(): Promise<MapAnswer> {
    const vectors = await this.load();
    this.progress(`mapping ${vectors.table.rows.toLocaleString('en-US')} embeddings (cached after the first time)`);
    const rows = vectors.ids.map((id, r) => ({ id, hash: vectors.hashes[r] }));
    const map = await mapOfTable(stateDirOf(this.root), vectors.space, rows, vectors.table);
    return {
      type: 'map',
      ids: vectors.ids,
      x: Float32Array.from(map.points, (p) => p.x),
      y: Float32Array.from(map.points, (p) => p.y),
      cached: map.cached,
      ...coverage(vectors),
    };
  }

  private load(): Promise<CachedVectors> {
    if (!this.vectors) {
      this.progress('reading the cached embeddings');
      this.vectors = cachedVectors(stateDirOf(this.root), this.items).then((vectors) => {
        this.rowOf = new Map(vectors.ids.map((id, r) => [id, r]));
        return vectors;
      });
      // A failed read (nothing embedded yet) is tried again by the next query.
      this.vectors.catch(() => (this.vectors = undefined));
    }
    return this.vectors;
  }
}

function coverage(vectors: CachedVectors): Coverage {
  return { indexed: vectors.table.rows, missing: vectors.missing };
}
