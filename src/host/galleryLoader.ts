// Opens a gallery's dataset so that images show before the folder is scanned: from the last scan's snapshot when
// there is one (edits go through at once), else from the folder listing (provisional items, edits wait), and then
// the scan itself, which replaces what was shown and is saved as the next snapshot.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  applyJournalState,
  LabelJournal,
  labelSources,
  openDatasetInWorker,
  readScanPreview,
  readScanSnapshot,
  ScanMerge,
  scanInWorker,
  writeIdentifierPolicy,
} from '../dataset';
import type { Dataset, DatasetItem, IdentifierPolicy, ScanChanges } from '../dataset';
import type { ScanProgress } from '../shared/protocol';

/** The dataset as the panel holds it: items by id and the journal that edits go through. */
export interface Loaded {
  dataset: Dataset;
  journal: LabelJournal;
  byId: Map<string, DatasetItem>;
}

export type { ScanChanges };

export interface LoaderEvents {
  /** The scan goes on (progress), or has ended (undefined). */
  progress(scan: ScanProgress | undefined): void;
  /**
   * The first items were shown alone (a saved scan's preview, or the first part of the folder listing) and now all
   * of them are in `shown`: the rest can follow.
   */
  restArrived(): void;
  /** The scan replaced what was shown first: only `changes` differ from the snapshot, or everything ('all'). */
  scanned(changes: ScanChanges | 'all'): void;
}

/** How long the snapshot waits for the gallery's first paint when no gallery says it painted. */
const FIRST_PAINT_WAIT_MS = 3000;

export class GalleryLoader {
  // The promises resolve with nothing: a resolved value would keep a replaced dataset (400,000 items) alive.
  /** `shown` can be shown: the preview, the snapshot, the provisional listing, or the scan if it came first. */
  readonly first: Promise<void>;
  /** `current` can take edits: the snapshot's or the scan's dataset. */
  readonly usable: Promise<void>;
  /** `current` is the scanned dataset: every command that reads the dataset waits for it. */
  readonly scanned: Promise<void>;
  /** The latest of the snapshot and the scan. */
  current: Loaded | undefined;
  /** What the gallery shows: `current`'s dataset, or the preview or the provisional listing until there is one. */
  shown: Dataset | undefined;
  /** While only the snapshot's preview is read: its total and counts (`shown` holds its first items). */
  preview: { total: number; counts: Record<string, number> } | undefined;
  /** Progress of the scan while it runs. */
  scan: ScanProgress | undefined;
  private firstSent!: () => void;
  /** Resolved by `shownFirst`, or a moment after the preview if no gallery asks for it. */
  private readonly firstWasSent = new Promise<void>((resolve) => (this.firstSent = resolve));

  constructor(
    private readonly root: string,
    user: string | undefined,
    private readonly events: LoaderEvents,
    /** Aborted when the gallery closes: a scan still running stops. */
    private readonly signal?: AbortSignal,
    /** Items per part from the scan's worker (default `ITEMS_PER_MESSAGE`, 2,000). */
    private readonly partSize?: number,
    /** Saved as the dataset's DICOM identifier policy before the scan (the setting's value). */
    private readonly identifiers?: IdentifierPolicy,
  ) {
    let showFirst!: () => void;
    let use!: () => void;
    let fail!: (error: unknown) => void;
    this.first = new Promise<void>((resolve, reject) => {
      showFirst = resolve;
      fail = reject;
    });
    this.usable = new Promise<void>((resolve, reject) => {
      use = resolve;
      const failFirst = fail;
      fail = (error) => {
        failFirst(error);
        reject(error);
      };
    });
    this.scanned = this.run(user, (dataset) => {
      this.shown = dataset;
      showFirst();
    }, use).catch((error: unknown) => {
      fail(error);
      throw error;
    });
    // Whoever awaits them sees the error; nobody may be awaiting yet.
    for (const promise of [this.first, this.usable, this.scanned]) promise.catch(() => undefined);
  }

  /**
   * The gallery has sent what `first` gave: reading the whole snapshot (a second of parsing on the extension host's
   * thread at 400,000 items) may start now without holding up the first paint.
   */
  shownFirst(): void {
    this.firstSent();
  }

  /** A rescan (files moved by "apply labels to folders"): replaces the dataset; returns it. */
  async rescan(): Promise<Loaded> {
    await this.scanned;
    const loaded = this.current!;
    const dataset = await openDatasetInWorker(this.root, this.signal);
    applyJournalState(dataset, loaded.journal.state);
    this.current = { ...loaded, dataset, byId: byIdOf(dataset) };
    this.shown = dataset;
    return this.current;
  }

  private async run(user: string | undefined, showFirst: (dataset: Dataset) => void, use: () => void): Promise<void> {
    if (!(await fs.stat(this.root).catch(() => null))?.isDirectory()) throw new Error(`dataset folder not found: ${path.resolve(this.root)}`);
    if (this.identifiers) {
      await writeIdentifierPolicy(this.root, this.identifiers).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`the DICOM identifier setting (${this.identifiers}) could not be saved with the dataset: ${error.code ?? error.message}`);
      });
    }
    const journal = await LabelJournal.open(this.root, { user });
    const preview = await readScanPreview(this.root);
    if (preview) {
      applyJournalState(preview.dataset, journal.state);
      this.preview = { total: preview.total, counts: preview.counts };
      this.scan = { phase: 'checking', done: 0, total: preview.total };
      showFirst(preview.dataset);
      await Promise.race([this.firstWasSent, new Promise((resolve) => setTimeout(resolve, FIRST_PAINT_WAIT_MS))]);
    }
    const saved = await readScanSnapshot(this.root);
    // A preview of another save than the snapshot's: the scan replaces what it showed.
    const snapshot = saved && (!preview || saved.savedAt === preview.savedAt) ? saved.dataset : undefined;
    if (snapshot) {
      applyJournalState(snapshot, journal.state);
      this.current = { dataset: snapshot, journal, byId: byIdOf(snapshot) };
      this.scan = { phase: 'checking', done: 0, total: snapshot.items.length };
      this.preview = undefined;
      use();
      if (preview) {
        this.shown = snapshot;
        this.events.restArrived();
      } else showFirst(snapshot);
    }
    // The scan runs in a worker and comes back in parts, merged into the snapshot as they arrive.
    const merge = new ScanMerge(this.current?.byId);
    let listing: DatasetItem[] | undefined;
    const scan = await scanInWorker(this.root, {
      signal: this.signal,
      ...(this.partSize ? { partSize: this.partSize } : {}),
      // A folder whose fingerprint is the snapshot's is only walked and stat'ed: no items come back.
      ...(snapshot?.fingerprint ? { unchangedIf: { fingerprint: snapshot.fingerprint, sources: labelSources(snapshot) } } : {}),
      onItems: (items) => merge.add(items),
      onRead: (done, total) => {
        this.scan = { phase: snapshot || preview ? 'checking' : 'reading', done, total };
        this.events.progress(this.scan);
      },
      ...(snapshot || preview
        ? {}
        : {
            // The first part is painted at once, with the whole listing's counts; the rest follows when it is all here.
            onListed: (items: DatasetItem[], last: boolean, total: number, counts: Record<string, number>) => {
              const first = !listing;
              (listing ??= []).push(...items);
              if (first) {
                this.scan = { phase: 'reading', done: 0, total };
                if (!last) this.preview = { total, counts };
                showFirst(this.provisional(last ? listing : [...items], counts, journal));
              } else if (last) {
                this.preview = undefined;
                this.shown = this.provisional(listing, counts, journal);
                this.events.restArrived();
              }
            },
          }),
    });
    const { dataset, changes } = scan.dataset === 'unchanged' ? { dataset: snapshot!, changes: { added: [], removed: [], changed: [] } } : merge.finish(scan.dataset);
    // The provisional items go now, not after the snapshot's save: at 400,000 items they are a second dataset.
    const listed = listing !== undefined;
    listing = undefined;
    if (dataset !== snapshot) {
      applyJournalState(dataset, journal.state);
      this.current = { dataset, journal, byId: byIdOf(dataset) };
    }
    this.shown = dataset;
    this.scan = undefined;
    this.preview = undefined;
    use();
    if (snapshot || preview || listed) this.events.scanned(changes);
    else showFirst(dataset);
    this.events.progress(undefined);
    // Saved again also when only the fingerprint changed (files touched, or a snapshot from before fingerprints).
    const unchanged = changes !== 'all' && !changes.added.length && !changes.removed.length && !changes.changed.length && dataset.fingerprint === snapshot?.fingerprint;
    if (unchanged) scan.end();
    else {
      const warning = await scan.saveSnapshot();
      if (warning) dataset.warnings.push(warning);
    }
  }

  /**
   * The folder listing (or its first part) as a dataset while its files are read: provisional items, labelled by
   * their folders; the classes are the whole listing's (`counts`: items per folder label).
   */
  private provisional(items: DatasetItem[], counts: Record<string, number>, journal: LabelJournal): Dataset {
    const classes = Object.keys(counts)
      .filter((label) => label !== 'unlabeled')
      .sort();
    const dataset: Dataset = { root: path.resolve(this.root), classes, items, problems: [], warnings: [], manifestPath: null, listPath: null };
    applyJournalState(dataset, journal.state);
    return dataset;
  }
}

function byIdOf(dataset: Dataset): Map<string, DatasetItem> {
  return new Map(dataset.items.map((item) => [item.id, item]));
}
