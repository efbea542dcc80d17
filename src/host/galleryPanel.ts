import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyJournalState, applyToFolders, classNameProblem, LabelJournal, openDataset, planApplyToFolders, stateDirOf, watchDataset } from '../dataset';
import type { Dataset, DatasetItem, DatasetWatcher, JournalEdit, JournalEntry, PlannedMove } from '../dataset';
import { latestVersion, listVersions } from '../ml/modelVersions';
import { MessageHandler } from '../shared/messageHandler';
import { parseFromWebview } from '../shared/protocol';
import type { DetailReply, ErrorReply, FromWebviewBody, GalleryFilterRequest, GalleryItem, RenderedEvent, SaliencyReply, ToWebviewBody } from '../shared/protocol';
import { Disposable } from './disposable';
import { readSettings } from './settings';
import { historyOf, PredictionStore, summarize, toGalleryItem } from './galleryData';
import type { LabelIssueMarks, PredictionSet } from './galleryData';
import { latestLabelIssues } from './auditFiles';
import { dicomTagsReply, hasFullRange, PixelCache } from './dicomDetail';
import { latestPredictions } from './predictionFiles';
import { SaliencyMaps } from './saliencyMaps';
import { ThumbnailQueue } from './thumbnailQueue';
import { watchPredictionFiles } from './watchPredictions';
import { webviewHtml } from './webviewHtml';

export const GALLERY_VIEW_TYPE = 'xrayCurator.gallery';

/** What the webview persists through `setState` and the serializer hands back after a reload. */
export interface GalleryWebviewState {
  datasetRoot?: string;
}

/** The dataset as the panel holds it: items by id and the journal that edits go through. */
interface Loaded {
  dataset: Dataset;
  journal: LabelJournal;
  byId: Map<string, DatasetItem>;
}

/**
 * One gallery webview over one dataset folder. The host owns the data (dataset, journal, predictions); the
 * webview owns only UI state (filters, scroll, selection). Every edit is validated here and goes through the
 * journal; the journal's change events push the changed items back (`itemsPatched`), for own and others' edits.
 */
export class GalleryPanel extends Disposable {
  private readonly messages: MessageHandler<ToWebviewBody, FromWebviewBody>;
  private lastRendered: RenderedEvent | undefined;
  private readonly renderedEmitter = this.register(new vscode.EventEmitter<RenderedEvent>());
  /** Fires each time the webview reports what it rendered. */
  readonly onDidRender = this.renderedEmitter.event;
  private readonly disposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly predictions = new PredictionStore();
  private loading: Promise<Loaded> | undefined;
  private loaded: Loaded | undefined;
  private editChain: Promise<unknown> = Promise.resolve();
  private pendingFilter: GalleryFilterRequest | undefined;
  /** True once the webview has asked for the items; until then nothing is pushed. */
  private webviewReady = false;
  private readonly thumbnails: ThumbnailQueue;
  private readonly rootUrl: string;
  private readonly thumbnailUrl: string | undefined;
  /** Problems met while loading, before the webview could be told; sent with the ready reply. */
  private readonly openWarnings: string[] = [];
  private readonly saliencyMaps: SaliencyMaps;
  private readonly pixels = new PixelCache();

  static create(extensionUri: vscode.Uri, datasetRoot: string, storageUri?: vscode.Uri): GalleryPanel {
    const panel = vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, `X-Ray Gallery: ${path.basename(datasetRoot)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
    });
    return new GalleryPanel(panel, extensionUri, datasetRoot, storageUri);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly datasetRoot: string,
    /** The extension's global storage: thumbnails are cached in its `thumbnails/` folder. */
    storageUri?: vscode.Uri,
  ) {
    super();
    const webview = panel.webview;
    const thumbnailRoot = storageUri ? vscode.Uri.joinPath(storageUri, 'thumbnails') : undefined;
    this.thumbnails = new ThumbnailQueue(thumbnailRoot?.fsPath, readSettings().thumbnailSize, (id) => this.loaded?.byId.get(id), (ids) => this.pushPatch(ids, []));
    this.saliencyMaps = new SaliencyMaps(storageUri ? vscode.Uri.joinPath(storageUri, 'backbones').fsPath : undefined);
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(extensionUri, 'media'),
        vscode.Uri.file(datasetRoot),
        ...(thumbnailRoot ? [thumbnailRoot] : []),
      ],
    };
    this.rootUrl = webview.asWebviewUri(vscode.Uri.file(path.resolve(datasetRoot))).toString();
    this.thumbnailUrl = thumbnailRoot ? webview.asWebviewUri(thumbnailRoot).toString() : undefined;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    this.messages = new MessageHandler<ToWebviewBody, FromWebviewBody>(
      (message) => void webview.postMessage(message),
      (body) => this.onMessage(body),
    );
    this.register(
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseFromWebview(raw);
        if ('refused' in message) {
          console.warn(`X-Ray Curator: refused a message from the gallery webview: ${message.refused}`);
          const id = (raw as { messageId?: unknown } | null)?.messageId;
          if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) this.messages.sendReply(id, { type: 'error', message: `refused: ${message.refused}` });
          return;
        }
        void this.messages.handleMessage(message);
      }),
    );
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.push({ type: 'editableChanged', editable: true })));
    this.register(panel.onDidDispose(() => this.dispose()));
    webview.html = webviewHtml(webview, extensionUri, {
      title: panel.title,
      script: 'dist/webview/gallery.js',
      style: 'media/gallery.css',
    });
  }

  /** Resolves with the webview's first report of what it rendered. */
  whenRendered(): Promise<RenderedEvent> {
    if (this.lastRendered) return Promise.resolve(this.lastRendered);
    return new Promise((resolve) => {
      const listener = this.onDidRender((event) => {
        listener.dispose();
        resolve(event);
      });
    });
  }

  /**
   * Shows a model's predictions (after a retrain, or when the panel opens on a dataset with a model). Items whose
   * predicted class differs from the previous version's are marked `changed` for the review queue.
   */
  setPredictions(update: PredictionSet): void {
    const touched = this.predictions.set(update);
    if (this.loaded) this.pushPatch([...touched], []);
  }

  /** Undo Last Label Change: the same step as `u` in the gallery; returns the journal entries reversed. */
  async undo(): Promise<number> {
    const { journal } = await this.editable();
    return (await this.serialized(() => journal.undo())).length;
  }

  /** The dataset as this panel holds it, kept live (journal, files on disk): no second scan for other views. */
  async dataset(): Promise<Dataset> {
    return (await this.load()).dataset;
  }

  /** The dry run of Apply Labels to Folders on the dataset as this panel shows it. */
  async planMoves(): Promise<PlannedMove[]> {
    return planApplyToFolders(await this.dataset());
  }

  /** Moves files into their class folders through this panel's journal: one step that `undo` reverses. */
  async applyMoves(moves: readonly PlannedMove[]): Promise<number> {
    const { dataset, journal } = await this.editable();
    return (await this.serialized(() => applyToFolders(dataset, journal, moves))).length;
  }

  /** Shows an audit's label issues: every item's score on its tile (filter, sort), suggestions for the issue queue. */
  setLabelIssues(marks: LabelIssueMarks): void {
    const touched = this.predictions.setLabelIssues(marks);
    if (this.loaded) this.pushPatch([...touched], []);
  }

  /** Shows exactly this filter in the gallery (commands, the side bar); sent with the ready reply if not ready yet. */
  showFilter(filter: GalleryFilterRequest): void {
    if (this.webviewReady) this.push({ type: 'setFilter', filter });
    else this.pendingFilter = filter;
  }

  /**
   * Handles one raw message exactly as if the webview had sent it (validation included) and returns the reply.
   * The integration tests drive the protocol through this.
   */
  async answer(raw: unknown): Promise<ToWebviewBody | ErrorReply | undefined> {
    const message = parseFromWebview(raw);
    if ('refused' in message) return { type: 'error', message: `refused: ${message.refused}` };
    try {
      return await this.onMessage(message.body);
    } catch (error) {
      return { type: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.thumbnails.dispose();
    this.saliencyMaps.dispose();
    this.disposeEmitter.fire();
    this.messages.dispose();
    super.dispose();
    this.panel.dispose();
  }

  private async onMessage(body: FromWebviewBody): Promise<ToWebviewBody | undefined> {
    switch (body.type) {
      case 'ready': {
        const { dataset, journal } = await this.load();
        this.webviewReady = true;
        const filter = this.pendingFilter;
        this.pendingFilter = undefined;
        return {
          ...(filter ? { filter } : {}),
          type: 'ready',
          dataset: summarize(dataset, this.predictions.model),
          items: dataset.items.map((item) => this.toGalleryItem(item)),
          editable: vscode.workspace.isTrusted,
          warnings: [...this.openWarnings, ...dataset.warnings, ...journal.warnings, ...dataset.problems.slice(0, 20).map((p) => `${p.where}: ${p.reason}`)],
        };
      }
      case 'rendered':
        this.lastRendered = body;
        this.renderedEmitter.fire(body);
        return undefined;
      case 'relabel': {
        if (body.label !== null) {
          const problem = classNameProblem(body.label);
          if (problem) throw new Error(problem);
        }
        const label = body.label;
        return this.edit(body.ids, (item) => ({ kind: 'relabel', item, value: label }));
      }
      case 'flag':
        return this.edit(body.ids, (item) => ({ kind: body.flagged ? 'flag' : 'unflag', item }));
      case 'undo':
      case 'redo': {
        const { journal } = await this.editable();
        const entries = await this.serialized(() => (body.type === 'undo' ? journal.undo() : journal.redo()));
        return { type: 'done', entries: entries.length };
      }
      case 'detail':
        return this.detail(body.id);
      case 'saliency':
        return this.saliency(body.id);
      case 'dicomTags':
        return dicomTagsReply(await this.item(body.id));
      case 'pixels':
        return this.pixels.reply(await this.item(body.id));
      case 'thumbnails':
        this.thumbnails.request(body.ids);
        return undefined;
    }
  }

  /** Records one edit per item as one journal group (one undo step). */
  private async edit(ids: readonly string[], make: (item: DatasetItem) => JournalEdit): Promise<ToWebviewBody> {
    const { journal, byId } = await this.editable();
    const edits = ids.map((id) => {
      const item = byId.get(id);
      if (!item) throw new Error(`no item ${JSON.stringify(id)} in this dataset`);
      const prediction = this.predictions.galleryFields(id).prediction;
      const edit = make(item);
      return prediction && this.predictions.model ? { ...edit, shown: { model: this.predictions.model, confidence: prediction.confidence } } : edit;
    });
    const entries = await this.serialized(() => journal.record(edits));
    return { type: 'done', entries: entries.length };
  }

  /**
   * Runs edits one after another in the order they arrived: a fast `2` then `u` must undo that relabel, not the
   * edit before it (the journal's undo stack only holds an edit once its write finished).
   */
  private serialized<T>(edit: () => Promise<T>): Promise<T> {
    const run = this.editChain.then(edit);
    this.editChain = run.catch(() => undefined);
    return run;
  }

  private async editable(): Promise<Loaded> {
    if (!vscode.workspace.isTrusted) throw new Error('Restricted Mode: labels cannot be changed until you trust this folder.');
    return this.load();
  }

  private async detail(id: string): Promise<DetailReply> {
    const { journal } = await this.load();
    const item = await this.item(id);
    // Browsers cannot show DICOM: the detail view shows the thumbnail until the full-range pixels arrive.
    const viewable = !item.error && item.format !== 'dicom';
    const thumb = this.thumbnails.fileOf(item);
    return {
      type: 'detail',
      id,
      ...(viewable ? { imageUrl: this.urlOf(item.absPath) } : thumb ? { imageUrl: this.urlOf(thumb) } : {}),
      ...(item.width ? { width: item.width, height: item.height, format: item.format } : {}),
      metadata: { ...item.metadata, ...(item.hash ? { sha256: item.hash } : {}) },
      probabilities: this.predictions.probabilities(id),
      history: historyOf(journal.entries, id),
      saliencyAvailable: await this.canExplain(item),
      ...(item.format === 'dicom' && !item.error ? { dicom: true } : {}),
      ...((await hasFullRange(item)) ? { fullRange: true } : {}),
    };
  }

  /** The item with this id; the webview may only name items of this dataset. */
  private async item(id: string): Promise<DatasetItem> {
    const item = (await this.load()).byId.get(id);
    if (!item) throw new Error(`no item ${JSON.stringify(id)} in this dataset`);
    return item;
  }

  /** A saliency map can be made: trusted folder, readable item that a model predicted, a saved model version. */
  private async canExplain(item: DatasetItem): Promise<boolean> {
    if (!vscode.workspace.isTrusted || item.error || !item.hash || !this.predictions.galleryFields(item.id).prediction) return false;
    return (await listVersions(stateDirOf(this.datasetRoot))).length > 0;
  }

  /** Grad-CAM of an item under the latest model version, computed in a worker thread (cached per content and version). */
  private async saliency(id: string): Promise<SaliencyReply> {
    if (!vscode.workspace.isTrusted) throw new Error('Restricted Mode: no model runs until you trust this folder.');
    const item = await this.item(id);
    if (item.error || !item.hash) throw new Error(`${id} cannot be read${item.error ? `: ${item.error}` : ''}`);
    const version = await latestVersion(stateDirOf(this.datasetRoot));
    if (!version) throw new Error('no trained model yet: run Retrain Model');
    const map = this.saliencyMaps.of({ ...item, hash: item.hash }, version);
    const { modelVersion, className, width, height, values } = await map;
    return { type: 'saliency', id, modelVersion, className, width, height, values };
  }

  /** Opens the dataset and its journal once, then keeps them live (journal appends, files on disk, thumbnails). */
  private load(): Promise<Loaded> {
    this.loading ??= (async () => {
      const dataset = await openDataset(this.datasetRoot);
      const journal = await LabelJournal.open(dataset.root, { user: readSettings().journalUser || undefined });
      const loaded: Loaded = { dataset, journal, byId: new Map(dataset.items.map((item) => [item.id, item])) };
      this.loaded = loaded;
      this.thumbnails.noteExisting(dataset.items);
      await this.readPredictionFiles();
      this.register({ dispose: journal.onDidChange((added) => this.onJournalChange(added)) });
      this.register({ dispose: journal.watchForOtherWriters() });
      const predictionWatcher = watchPredictionFiles(this.datasetRoot, () => void this.readPredictionFiles());
      if (predictionWatcher) this.register(predictionWatcher);
      void this.watchFiles(loaded);
      return loaded;
    })();
    return this.loading;
  }

  /** Shows the latest model version's predictions written by the ML jobs, if newer than what is shown. */
  private async readPredictionFiles(): Promise<void> {
    try {
      const latest = await latestPredictions(this.datasetRoot, this.predictions.model);
      if (latest) this.setPredictions(latest);
      const issues = this.predictions.hasIssueScores ? undefined : await latestLabelIssues(this.datasetRoot);
      if (issues) this.setLabelIssues(issues);
    } catch (error) {
      const message = `Predictions not shown: ${error instanceof Error ? error.message : String(error)}`;
      if (this.webviewReady) this.push({ type: 'showError', message });
      else this.openWarnings.push(message);
    }
  }

  private onJournalChange(added: readonly JournalEntry[]): void {
    const loaded = this.loaded;
    if (!loaded) return;
    // A move renames items: rebuild the index and send everything (rare: "apply labels to folders").
    if (added.some((entry) => entry.kind === 'move')) {
      void this.reload();
      return;
    }
    // The journal applies the entries to the effective labels; only the items they name are sent.
    applyJournalState(loaded.dataset, loaded.journal.state);
    this.pushPatch([...new Set(added.map((entry) => entry.item))], []);
  }

  private async reload(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) return;
    loaded.dataset = await openDataset(this.datasetRoot);
    loaded.byId = new Map(loaded.dataset.items.map((item) => [item.id, item]));
    this.push({ type: 'itemsChanged', dataset: summarize(loaded.dataset, this.predictions.model), items: loaded.dataset.items.map((item) => this.toGalleryItem(item)) });
  }

  private async watchFiles(loaded: Loaded): Promise<void> {
    let watcher: DatasetWatcher;
    try {
      watcher = await watchDataset(
        loaded.dataset,
        (changes) => {
          loaded.byId = new Map(loaded.dataset.items.map((item) => [item.id, item]));
          const upserted = [...changes.added, ...changes.changed];
          // New content has a new hash: its thumbnail is looked up again (the webview asks when it needs it).
          this.thumbnails.noteExisting(upserted);
          this.pushPatch(
            upserted.map((item) => item.id),
            changes.removed,
          );
        },
        { journalState: () => loaded.journal.state },
      );
    } catch (error) {
      this.push({ type: 'showError', message: `Not watching the folder for changes: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    if (this.isDisposed) void watcher.close();
    else this.register({ dispose: () => void watcher.close() });
  }

  private pushPatch(ids: readonly string[], removed: readonly string[]): void {
    const loaded = this.loaded;
    if (!loaded) return;
    const items: GalleryItem[] = [];
    for (const id of ids) {
      const item = loaded.byId.get(id);
      if (item) items.push(this.toGalleryItem(item));
    }
    if (items.length || removed.length) {
      this.push({ type: 'itemsPatched', dataset: summarize(loaded.dataset, this.predictions.model), items, removed: [...removed] });
    }
  }

  private push(body: ToWebviewBody): void {
    if (this.webviewReady && !this.isDisposed) this.messages.sendEvent(body);
  }

  private toGalleryItem(item: DatasetItem): GalleryItem {
    return toGalleryItem(
      item,
      (absPath) => this.urlOf(absPath),
      (it) => this.thumbnails.fileOf(it),
      this.predictions,
    );
  }

  /** A webview URL for a file inside the dataset or the thumbnail cache (the only roots the webview may load). */
  private urlOf(absPath: string): string {
    const inside = (root: string): string | undefined => {
      const relative = path.relative(root, absPath);
      return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).map(encodeURIComponent).join('/') : undefined;
    };
    const inDataset = inside(path.resolve(this.datasetRoot));
    if (inDataset) return `${this.rootUrl}/${inDataset}`;
    const inCache = this.thumbnails.dir && this.thumbnailUrl ? inside(this.thumbnails.dir) : undefined;
    if (inCache) return `${this.thumbnailUrl}/${inCache}`;
    throw new Error(`not a file the gallery may show: ${absPath}`);
  }
}
