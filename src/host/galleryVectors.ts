// A gallery's questions about its embeddings: "more like this", the active-learning queue and the map. The answers
// come from a vector-service worker that holds the dataset's cached embeddings between questions; it is started on
// the first one and started afresh when the items or their embeddings change.
import * as vscode from 'vscode';
import type { DatasetItem } from '../dataset';
import type { NextStrategy } from '../ml/nextQueue/rankNext';
import type { MapAnswer } from '../ml/vectorService/protocol';
import { VectorService } from '../ml/vectorService/vectorService';
import type { ItemList } from '../shared/protocol';
import type { Loaded } from './galleryLoader';

/** At most this many images are queued to label next (k-center greedy costs k passes over the candidates). */
export const NEXT_QUEUE_LENGTH = 200;

const NOT_EMBEDDED = (missing: number): string => (missing ? `; ${missing.toLocaleString('en-US')} images are not embedded yet (Score Dataset adds them)` : '');

export class GalleryVectors {
  private service: VectorService | undefined;
  /** The strategy of the active-learning queue last shown: it is ranked again when a model scores the dataset. */
  private nextStrategy: NextStrategy | undefined;

  constructor(
    private readonly root: string,
    private readonly loaded: () => Promise<Loaded>,
  ) {}

  /** The items or their embeddings changed: the next question starts a fresh worker. */
  invalidate(): void {
    void this.service?.close();
    this.service = undefined;
  }

  /** The item and its `k` nearest neighbours by embedding cosine, most similar first. */
  async similar(item: DatasetItem, k: number): Promise<ItemList> {
    const answer = await this.withProgress(`finding images like ${item.id}`, (service, progress) => service.similar({ id: item.id, k }, progress));
    const { neighbours } = answer;
    return {
      kind: 'similar',
      title: `${neighbours.length} images most like ${item.id} (embedding cosine${answer.approximate ? ', approximate' : ''})${NOT_EMBEDDED(answer.missing)}`,
      ids: [item.id, ...neighbours.map((n) => n.id)],
      scores: [1, ...neighbours.map((n) => n.similarity)],
      scoreName: 'similarity',
    };
  }

  /** New predictions (a retrain, Score Dataset): new embeddings too, and the queue last shown is ranked again. */
  async rankAgain(): Promise<ItemList | undefined> {
    this.invalidate();
    return this.nextStrategy && this.next(this.nextStrategy);
  }

  /**
   * What to label next by `strategy`: the unlabelled images, or when every image has a label, those no reader has
   * labelled yet in the journal (un-reviewed), ranked in the worker.
   */
  async next(strategy: NextStrategy): Promise<ItemList> {
    const { dataset, journal } = await this.loaded();
    const usable = dataset.items.filter((item) => !item.error);
    const isLabelled = (item: DatasetItem): boolean => (dataset.multiLabel ? item.findings !== undefined : item.label !== null);
    const unlabelled = usable.filter((item) => !isLabelled(item));
    const reviewed = new Set(journal.entries.filter((e) => e.kind === 'relabel' || e.kind === 'finding').map((e) => e.item));
    const candidates = unlabelled.length ? unlabelled : usable.filter((item) => !reviewed.has(item.id));
    const which = unlabelled.length ? 'unlabelled' : 'not yet reviewed';
    const queued = new Set(candidates);
    const labelled = usable.filter((item) => isLabelled(item) && !queued.has(item));
    const answer = await this.withProgress(`ranking what to label next (${strategy})`, (service, progress) =>
      service.next({ strategy, k: NEXT_QUEUE_LENGTH, candidates: candidates.map((i) => i.id), labelled: labelled.map((i) => i.id), multiLabel: dataset.multiLabel !== undefined }, progress),
    );
    this.nextStrategy = strategy;
    const model = answer.modelVersion === null ? '' : ` under model v${answer.modelVersion}`;
    const skipped = answer.skipped ? `; ${answer.skipped.toLocaleString('en-US')} left out (no embedding or no prediction yet)` : '';
    return {
      kind: 'next',
      title: `Next to label by ${strategy}${model}: ${answer.items.length} of ${candidates.length.toLocaleString('en-US')} ${which} images${skipped}`,
      ids: answer.items.map((i) => i.id),
      scores: answer.items.map((i) => i.score),
      scoreName: strategy === 'uncertainty' ? 'uncertainty' : 'distance',
    };
  }

  /** Every embedded item's place on the 2-D map (cached in the state folder after the first time). */
  map(): Promise<MapAnswer> {
    return this.withProgress('mapping the embeddings', (service, progress) => service.map(progress));
  }

  dispose(): void {
    this.invalidate();
  }

  private async withProgress<T>(title: string, ask: (service: VectorService, progress: (message: string) => void) => Promise<T>): Promise<T> {
    const { dataset } = await this.loaded();
    this.service ??= new VectorService(this.root, dataset.items);
    const service = this.service;
    // In the status bar: the first question reads the cache (and builds the index), seconds at 400,000 items.
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `X-Ray Curator: ${title}` }, (progress) =>
      ask(service, (message) => progress.report({ message })),
    );
  }
}
