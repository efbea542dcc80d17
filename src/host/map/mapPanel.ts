// The dataset map beside a gallery: every embedded image as a point (PCA then UMAP, computed in the gallery's
// vector-service worker and cached), coloured by label, prediction, source, ...; a lasso or box on the map shows
// exactly those images in the gallery, and the gallery's focus and selection light up on the map.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MessageHandler } from '../../shared/messageHandler';
import type { FromMapBody, MapColouring, ToMapBody } from '../../shared/mapProtocol';
import { parseFromMapWebview } from '../../shared/parseMapMessage';
import { Disposable } from '../disposable';
import type { GalleryPanel } from '../galleryPanel';
import { webviewHtml } from '../webviewHtml';
import { receiveValidated } from '../webviewMessages';
import { mapColourings } from './mapColours';

export const MAP_VIEW_TYPE = 'xrayCurator.map';
/** Labels and predictions change in bursts (a retrain re-scores everything): the colours follow once it settles. */
const RECOLOUR_MS = 500;

export class MapPanel extends Disposable {
  private readonly messages: MessageHandler<ToMapBody, FromMapBody>;
  /** The item id of each point, once the map is made. */
  private ids: string[] = [];
  private pointOf = new Map<string, number>();
  private recolourTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    extensionUri: vscode.Uri,
    readonly gallery: GalleryPanel,
    readonly panel = vscode.window.createWebviewPanel(MAP_VIEW_TYPE, `X-Ray Map: ${path.basename(gallery.datasetRoot)}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    }),
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    this.messages = new MessageHandler<ToMapBody, FromMapBody>(
      (message) => void panel.webview.postMessage(message),
      (body) => this.onMessage(body),
    );
    this.register(receiveValidated(panel.webview, (raw) => parseFromMapWebview(raw, this.ids.length), this.messages, 'map'));
    this.register(gallery.onDidChangeSelection((ids) => this.push({ type: 'highlight', highlighted: this.points(ids) })));
    this.register(gallery.onDidChangeItems(() => this.recolourSoon()));
    this.register(gallery.onDidDispose(() => this.dispose()));
    this.register(panel.onDidDispose(() => this.dispose()));
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { title: panel.title, script: 'dist/webview/map.js', style: 'media/map.css' });
  }

  /** The item ids of the points (for tests). */
  get pointIds(): readonly string[] {
    return this.ids;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clearTimeout(this.recolourTimer);
    this.disposeEmitter.fire();
    this.messages.dispose();
    super.dispose();
    this.panel.dispose();
  }

  private async onMessage(body: FromMapBody): Promise<ToMapBody | undefined> {
    switch (body.type) {
      case 'ready': {
        const map = await this.gallery.vectors.map();
        this.ids = map.ids;
        this.pointOf = new Map(map.ids.map((id, i) => [id, i]));
        const missing = map.missing ? ` ${map.missing.toLocaleString('en-US')} images are not embedded yet: Score Dataset adds them.` : '';
        return {
          type: 'mapReady',
          name: path.basename(this.gallery.datasetRoot),
          points: { x: map.x, y: map.y },
          colourings: await this.colourings(),
          highlighted: this.points(this.gallery.selection),
          note: `${map.indexed.toLocaleString('en-US')} images by their embeddings (PCA, then UMAP; ${map.cached ? 'read from the cache' : 'computed and cached'}).${missing}`,
        };
      }
      case 'select': {
        const ids = body.indices.map((i) => this.ids[i]);
        if (ids.length === 0) this.gallery.showFilter({});
        else this.gallery.showList({ kind: 'map', title: `${ids.length.toLocaleString('en-US')} images selected on the map`, ids });
        return undefined;
      }
      case 'point':
        return { type: 'point', index: body.index, id: this.ids[body.index] };
    }
  }

  private points(ids: readonly string[]): number[] {
    return ids.flatMap((id) => (this.pointOf.has(id) ? [this.pointOf.get(id)!] : []));
  }

  private async colourings(): Promise<MapColouring[]> {
    const { items, classes, findings } = await this.gallery.shownItems(this.ids);
    return mapColourings(items, classes, findings);
  }

  /** Recoloured only while shown: a hidden webview's page is discarded, and its next ready handshake colours it afresh. */
  private recolourSoon(): void {
    if (!this.ids.length || !this.panel.visible) return;
    clearTimeout(this.recolourTimer);
    this.recolourTimer = setTimeout(() => {
      void this.colourings().then((colourings) => this.push({ type: 'colours', colourings }), () => undefined);
    }, RECOLOUR_MS);
  }

  private push(body: ToMapBody): void {
    if (!this.isDisposed && this.ids.length) this.messages.sendEvent(body);
  }
}
