// Opens one gallery's dataset and journal (see `GalleryLoader`) and keeps them live: the journal's appends (this
// window's and other writers'), `readers.json`, the prediction files the ML jobs write, and the files on disk once
// the scan is done. Each change reaches the webview as a patch of the items it names, or as every item again.
import { applyJournalState } from '../dataset';
import { readReadersConfig } from '../dataset/readers';
import type { Dataset, JournalEntry } from '../dataset';
import type { ItemList, ScanProgress } from '../shared/protocol';
import { Disposable } from './disposable';
import type { PredictionStore } from './galleryData';
import { watchGalleryFiles } from './galleryFileWatch';
import { GalleryLoader } from './galleryLoader';
import type { Loaded, ScanChanges } from './galleryLoader';
import type { GalleryVectors } from './galleryVectors';
import { readShownPredictions } from './predictionFiles';
import type { GalleryStudy } from './readers/galleryStudy';
import { readSettings } from './settings';
import { watchPredictionFiles } from './watchPredictions';

/** What the live dataset tells the panel; each call is dropped while the webview is not there to hear it. */
export interface LiveTarget {
  scanProgress(scan: ScanProgress | undefined): void;
  /** The rest of the listing or snapshot arrived: the pages go on. */
  restArrived(dataset: Dataset): void;
  patch(ids: readonly string[], removed: readonly string[]): void;
  /** Every item again, from the first page (a rescan, a move, a new study). */
  resend(dataset: Dataset): void;
  listUpdated(list: ItemList): void;
  /** A problem to show; before the webview is ready it goes with the ready reply. */
  problem(message: string): void;
  /** The journal changed labels, flags or findings. */
  labelsChanged(): void;
}

export class GalleryLive extends Disposable {
  readonly loader: GalleryLoader;
  /** The latest model's predictions and audit, read once as the panel opens (they do not depend on the scan). */
  readonly predictionsRead: Promise<void>;
  /**
   * What blind reading withholds is known: at once without `readers.json`, else once the journal is open (who read
   * what). Nothing may be shown before, or a snapshot's first page would show a blind reader labels and predictions.
   */
  readonly studyKnown: Promise<void>;
  /** Aborted on dispose: stops work that may still be starting, such as the file watcher's listing. */
  private readonly closing = new AbortController();

  constructor(
    private readonly root: string,
    private readonly study: GalleryStudy,
    private readonly predictions: PredictionStore,
    private readonly vectors: GalleryVectors,
    private readonly target: LiveTarget,
  ) {
    super();
    const settings = readSettings();
    const loader = new GalleryLoader(
      root,
      settings.journalUser || undefined,
      {
        progress: (scan) => target.scanProgress(scan),
        restArrived: () => target.restArrived(loader.shown!),
        scanned: (changes) => this.onScanned(changes),
      },
      this.closing.signal,
      undefined,
      settings.dicomIdentifiers,
    );
    this.loader = loader;
    this.predictionsRead = this.readPredictionFiles();
    const followed = loader.usable.then(
      () => this.follow(loader.current!),
      () => undefined,
    );
    // A damaged readers.json is the journal's to report: wait for it as for a study.
    this.studyKnown = readReadersConfig(root).then(
      (config) => (config ? followed : undefined),
      () => followed,
    );
    void loader.scanned.then(
      () => this.watchFiles(loader.current!),
      (error: unknown) => {
        if (!this.closing.signal.aborted) target.problem(`Could not open the dataset: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  override dispose(): void {
    this.closing.abort();
    super.dispose();
  }

  private follow({ journal }: Loaded): void {
    // The study first: the items the journal's listener sends show the study as the journal now is.
    this.register({ dispose: this.study.follow(journal, () => this.onReadersChanged()) });
    this.register({ dispose: journal.onDidChange((added) => this.onJournalChange(added)) });
    this.register({ dispose: journal.watchForOtherWriters() });
    const predictionWatcher = watchPredictionFiles(this.root, () => void this.readPredictionFiles());
    if (predictionWatcher) this.register(predictionWatcher);
  }

  /** The scan replaced what the webview shows: a few changed items are patched, anything else is sent again. */
  private onScanned(changes: ScanChanges | 'all'): void {
    this.vectors.invalidate();
    const dataset = this.loader.shown;
    if (!dataset) return;
    const few = changes !== 'all' && changes.added.length + changes.removed.length + changes.changed.length <= 1000;
    if (few) this.target.patch([...changes.added, ...changes.changed], changes.removed);
    else this.target.resend(dataset);
  }

  /** Shows the latest predictions and audit written by the ML jobs, if newer than what is shown. */
  private async readPredictionFiles(): Promise<void> {
    try {
      const touched = await readShownPredictions(this.root, this.predictions);
      this.target.patch([...touched], []);
      const ranked = touched.size ? await this.vectors.rankAgain() : undefined;
      if (ranked) this.target.listUpdated(ranked);
    } catch (error) {
      this.target.problem(`Predictions not shown: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private onJournalChange(added: readonly JournalEntry[]): void {
    const loaded = this.loader.current;
    if (!loaded) return;
    // A move renames items: rebuild the index and send everything (rare: "apply labels to folders").
    if (added.some((entry) => entry.kind === 'move')) {
      void this.loader.rescan().then(
        ({ dataset }) => this.target.resend(dataset),
        (error: unknown) => this.target.problem(`Could not read the moved files: ${error instanceof Error ? error.message : String(error)}`),
      );
      return;
    }
    // The journal applies the entries to the effective labels; only the items they name are sent.
    applyJournalState(loaded.dataset, loaded.journal.state);
    this.target.patch([...new Set(added.map((entry) => entry.item))], []);
    this.target.labelsChanged();
  }

  /** `readers.json` changed (a study set up here or in another window): the labels and what is withheld may all change. */
  private onReadersChanged(): void {
    const loaded = this.loader.current;
    if (!loaded) return;
    applyJournalState(loaded.dataset, loaded.journal.state);
    this.target.resend(loaded.dataset);
    this.target.labelsChanged();
  }

  private async watchFiles(loaded: Loaded): Promise<void> {
    const watcher = await watchGalleryFiles(loaded, {
      changed: (ids, removed) => this.target.patch(ids, removed),
      problem: (message) => this.target.problem(message),
      signal: this.closing.signal,
    });
    if (watcher && this.isDisposed) watcher.dispose();
    else if (watcher) this.register(watcher);
  }
}
