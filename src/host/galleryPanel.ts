import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Dataset, DatasetItem, JournalEntry } from '../dataset';
import { MessageHandler } from '../shared/messageHandler';
import { parseFromWebview } from '../shared/parseMessage';
import type { DatasetSummary, ErrorReply, FromWebviewBody, GalleryFilterRequest, GalleryItem, GalleryUrls, ItemList, ReadyReply, RenderedEvent, ToWebviewBody } from '../shared/protocol';
import { Disposable } from './disposable';
import { GalleryEdits } from './galleryEdits';
import { GalleryLive } from './galleryLive';
import type { Loaded } from './galleryLoader';
import { GalleryVectors } from './galleryVectors';
import { RegionSearches } from './regionSearches';
import { readSettings } from './settings';
import { PredictionStore, summarize, toGalleryItem } from './galleryData';
import type { LabelIssueMarks } from '../ml/audit/issueMarks';
import type { PredictionSet } from './galleryData';
import { ItemDetails } from './itemDetails';
import { ItemPager } from './itemPages';
import { GalleryStudy } from './readers/galleryStudy';
import { ThumbnailQueue } from './thumbnailQueue';
import { configureGalleryWebview, webviewHtml } from './webviewHtml';
import { receiveValidated } from './webviewMessages';

export const GALLERY_VIEW_TYPE = 'xrayCurator.gallery';

/** What the webview persists through `setState` and the serializer hands back after a reload. */
export interface GalleryWebviewState {
  datasetRoot?: string;
}

/**
 * One gallery webview over one dataset folder. The host owns the data (dataset, journal, predictions); the
 * webview owns only UI state (filters, scroll, selection). Items go over in pages (`ItemPager`), from the last scan's
 * snapshot or the folder listing while the scan runs (`GalleryLoader`). Every edit is validated here and goes
 * through the journal; the journal's change events push the changed items back (`itemsPatched`), for own and
 * others' edits.
 */
export class GalleryPanel extends Disposable {
  private readonly messages: MessageHandler<ToWebviewBody, FromWebviewBody>;
  private lastRendered: RenderedEvent | undefined;
  private readonly renderedEmitter = this.register(new vscode.EventEmitter<RenderedEvent>());
  /** Fires each time the webview reports what it rendered. */
  readonly onDidRender = this.renderedEmitter.event;
  private readonly labelsEmitter = this.register(new vscode.EventEmitter<void>());
  /** Fires when the journal changed labels, flags or findings (this window's edits or another writer's). */
  readonly onDidChangeLabels = this.labelsEmitter.event;
  private readonly selectionEmitter = this.register(new vscode.EventEmitter<readonly string[]>());
  /** Fires with the focused and selected items as the user changes them (the map lights them up). */
  readonly onDidChangeSelection = this.selectionEmitter.event;
  /** The focused and selected items as the webview last reported them. */
  selection: readonly string[] = [];
  private readonly itemsEmitter = this.register(new vscode.EventEmitter<void>());
  /** Fires when items the webview shows changed (labels, flags, predictions, scores, files). */
  readonly onDidChangeItems = this.itemsEmitter.event;
  private readonly disposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly predictions = new PredictionStore();
  /** The dataset and journal, kept live. */
  private readonly live: GalleryLive;
  private readonly pages: ItemPager;
  /** The reading study (`readers.json`): what blind reading withholds, the queues, adjudication. */
  private readonly study = new GalleryStudy();
  /** Every edit, from the webview or a command (undo, apply labels to folders), goes through these. */
  readonly edits = new GalleryEdits(() => this.editable(), this.predictions, (id) => this.study.blinded(id));
  /** "More like this", the active-learning queue (ranked again whenever a model scores the dataset) and the map. */
  readonly vectors: GalleryVectors;
  private pendingFilter: GalleryFilterRequest | undefined;
  /** True once the webview has asked for the items; until then nothing is pushed. */
  private webviewReady = false;
  private readonly thumbnails: ThumbnailQueue;
  private readonly urls: GalleryUrls;
  /** Problems met while loading, before the webview could be told; sent with the ready reply. */
  private readonly openWarnings: string[] = [];
  private readonly details: ItemDetails;
  private readonly regions: RegionSearches;

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
    this.thumbnails = new ThumbnailQueue(thumbnailRoot?.fsPath, readSettings().thumbnailSize, (id) => this.live.loader.current?.byId.get(id), (ids) => this.pushPatch(ids, []));
    this.pages = new ItemPager(
      (page) => this.push(page),
      (item) => this.toGalleryItem(item),
      (ids, removed) => this.pushPatch(ids, removed),
    );
    this.urls = configureGalleryWebview(webview, extensionUri, datasetRoot, thumbnailRoot);
    this.vectors = new GalleryVectors(datasetRoot, () => this.current());
    const backboneCache = storageUri ? vscode.Uri.joinPath(storageUri, 'backbones').fsPath : undefined;
    this.details = new ItemDetails(datasetRoot, this.urls, this.thumbnails, this.predictions, backboneCache, this.study);
    this.regions = new RegionSearches(datasetRoot, backboneCache);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    this.messages = new MessageHandler<ToWebviewBody, FromWebviewBody>(
      (message) => void webview.postMessage(message),
      (body) => this.onMessage(body),
    );
    this.register(receiveValidated(webview, parseFromWebview, this.messages, 'gallery'));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.push({ type: 'editableChanged', editable: true })));
    this.register(panel.onDidDispose(() => this.dispose()));
    // A hidden webview's page is discarded (no retainContextWhenHidden): what is pushed then is lost, so a filter asked
    // for meanwhile waits for the page's next ready handshake, which also sends the whole state again.
    this.register(panel.onDidChangeViewState(({ webviewPanel }) => {
      if (!webviewPanel.visible) this.webviewReady = false;
    }));
    webview.html = webviewHtml(webview, extensionUri, {
      title: panel.title,
      script: 'dist/webview/gallery.js',
      style: 'media/gallery.css',
    });
    // The dataset opens while the webview loads its script: the ready handshake then finds it (or its snapshot) there.
    this.live = this.register(
      new GalleryLive(datasetRoot, this.study, this.predictions, this.vectors, {
        scanProgress: (scan) => this.push({ type: 'scanProgress', ...(scan ? { scan } : {}) }),
        restArrived: (dataset) => this.pages.continue(dataset.items),
        patch: (ids, removed) => this.pushPatch(ids, removed),
        resend: (dataset) => this.resend(dataset),
        listUpdated: (list) => this.push({ type: 'listUpdated', list }),
        problem: (message) => (this.webviewReady ? this.push({ type: 'showError', message }) : this.openWarnings.push(message)),
        labelsChanged: () => this.labelsEmitter.fire(),
      }),
    );
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
    this.pushPatch([...touched], []);
  }

  /** The dataset as this panel holds it, scanned and kept live (journal, files on disk): no second scan for other views. */
  async dataset(): Promise<Dataset> {
    await this.live.loader.scanned;
    return this.live.loader.current!.dataset;
  }

  /** The journal this panel holds (empty until it is open). */
  journalEntries(): readonly JournalEntry[] {
    return this.live.loader.current?.journal.entries ?? [];
  }

  /** Shows an audit's label issues: every item's score on its tile (filter, sort), suggestions for the issue queue. */
  setLabelIssues(marks: LabelIssueMarks): void {
    const touched = this.predictions.setLabelIssues(marks);
    this.pushPatch([...touched], []);
  }

  /** Shows exactly this filter in the gallery (commands, the side bar); sent with the ready reply if not ready yet. */
  showFilter(filter: GalleryFilterRequest): void {
    if (this.webviewReady) this.push({ type: 'setFilter', filter });
    else this.pendingFilter = filter;
  }

  /** One of the reading study's queues over the dataset as shown: the images waiting for this reader, or the disagreements. */
  async studyQueue(queue: 'read' | 'adjudicate'): Promise<ItemList> {
    return this.study.queue({ queue }, (await this.current()).dataset.items);
  }

  /** Shows exactly these items, in this order (the map's selection, a script). */
  showList(list: ItemList): void {
    this.showFilter({ list });
  }

  /** What the gallery shows of these items (undefined: no longer in the dataset), and the dataset's classes. */
  async shownItems(ids: readonly string[]): Promise<{ items: (GalleryItem | undefined)[]; classes: string[]; findings: string[] }> {
    const { byId, dataset } = await this.current();
    return { items: ids.map((id) => byId.get(id)).map((item) => item && this.toGalleryItem(item)), classes: dataset.classes, findings: dataset.multiLabel?.findings ?? [] };
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
    this.pages.dispose();
    this.details.dispose();
    this.vectors.dispose();
    this.disposeEmitter.fire();
    this.messages.dispose();
    super.dispose();
    this.panel.dispose();
  }

  private async onMessage(body: FromWebviewBody): Promise<ToWebviewBody | undefined> {
    switch (body.type) {
      case 'ready':
        return this.ready();
      case 'rendered':
        this.lastRendered = body;
        this.renderedEmitter.fire(body);
        return undefined;
      case 'relabel':
      case 'flag':
      case 'setFinding':
      case 'undo':
      case 'redo':
        return this.edits.handle(body);
      case 'adjudicate':
        return this.study.adjudicate(body, this.edits);
      case 'studyQueue':
        return { type: 'list', list: await this.studyQueue(body.queue) };
      case 'detail':
      case 'saliency':
      case 'dicomTags':
      case 'pixels':
        return this.details.answer(body, await this.item(body.id), this.live.loader.current!);
      case 'thumbnails':
        this.thumbnails.request(body.ids);
        return undefined;
      case 'similar':
        return { type: 'list', list: await this.vectors.similar(await this.item(body.id), body.k) };
      case 'similarRegion': {
        const list = await this.regions.find(await this.item(body.id), (await this.current()).dataset.items, body.box, body.k);
        return list ? { type: 'list', list } : { type: 'error', message: 'the region search was cancelled' };
      }
      case 'selection':
        this.selection = body.ids;
        this.selectionEmitter.fire(body.ids);
        return undefined;
    }
  }

  /** The handshake's reply: the dataset as shown now (snapshot, listing or scan) and the first page of its items. */
  private async ready(): Promise<ReadyReply> {
    const { loader } = this.live;
    // The first tiles show their predictions and issue scores (green and red), not a moment later.
    await Promise.all([loader.first, this.thumbnails.listCache(), this.live.predictionsRead, this.live.studyKnown]);
    const dataset = loader.shown!;
    this.webviewReady = true;
    const filter = this.pendingFilter;
    this.pendingFilter = undefined;
    const journalWarnings = loader.current?.journal.warnings ?? [];
    // Once this reply has been posted.
    setTimeout(() => loader.shownFirst(), 50);
    return {
      ...(filter ? { filter } : {}),
      type: 'ready',
      dataset: this.summary(dataset, loader.preview?.counts),
      urls: this.urls,
      ...this.pages.start(dataset.items, loader.preview?.total),
      ...(loader.scan ? { scan: loader.scan } : {}),
      editable: vscode.workspace.isTrusted,
      warnings: [...this.openWarnings, ...dataset.warnings, ...journalWarnings, ...dataset.problems.slice(0, 20).map((p) => `${p.where}: ${p.reason}`)],
    };
  }

  /** The dataset edits go through: the snapshot's until the scan's replaces it. */
  private async editable(): Promise<Loaded> {
    if (!vscode.workspace.isTrusted) throw new Error('Restricted Mode: labels cannot be changed until you trust this folder.');
    return this.current();
  }

  /** The dataset as loaded (the snapshot's until the scan's replaces it). */
  private async current(): Promise<Loaded> {
    await this.live.loader.usable;
    return this.live.loader.current!;
  }

  /** The item with this id; the webview may only name items of this dataset. */
  private async item(id: string): Promise<DatasetItem> {
    const item = (await this.current()).byId.get(id);
    if (!item) throw new Error(`no item ${JSON.stringify(id)} in this dataset`);
    return item;
  }

  private pushPatch(ids: readonly string[], removed: readonly string[]): void {
    const loaded = this.live.loader.current;
    if (!loaded || !this.webviewReady || this.pages.hold(ids, removed)) return;
    const items: GalleryItem[] = [];
    for (const id of ids) {
      const item = loaded.byId.get(id);
      if (item) items.push(this.toGalleryItem(item));
    }
    if (items.length || removed.length) {
      this.itemsEmitter.fire();
      this.push({ type: 'itemsPatched', dataset: this.summary(loaded.dataset), items, removed: [...removed] });
    }
  }

  /** Sends every item again, from the first page (after a rescan, a move, a new study). */
  private resend(dataset: Dataset): void {
    if (this.webviewReady) this.push({ type: 'itemsChanged', dataset: this.summary(dataset), ...this.pages.start(dataset.items) });
  }

  private push(body: ToWebviewBody): void {
    if (this.webviewReady && !this.isDisposed) this.messages.sendEvent(body);
  }

  private toGalleryItem(item: DatasetItem): GalleryItem {
    const shown = toGalleryItem(item, (it) => this.thumbnails.fileOf(it), this.predictions);
    return this.study.current?.shown(shown) ?? shown;
  }

  /** The dataset's summary as the webview shows it, with the reading study. */
  private summary(dataset: Dataset, saved?: Readonly<Record<string, number>>): DatasetSummary {
    const study = this.study.current?.summary(dataset.items);
    return { ...summarize(dataset, this.predictions, saved), ...(study ? { study } : {}) };
  }
}
