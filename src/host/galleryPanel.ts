import * as path from 'node:path';
import * as vscode from 'vscode';
import { openDataset } from '../dataset';
import type { Dataset } from '../dataset';
import { MessageHandler } from '../shared/messageHandler';
import { parseFromWebview } from '../shared/protocol';
import type { DatasetSummary, FromWebviewBody, GalleryItem, RenderedEvent, ToWebviewBody } from '../shared/protocol';
import { Disposable } from './disposable';
import { webviewHtml } from './webviewHtml';

export const GALLERY_VIEW_TYPE = 'xrayCurator.gallery';

/** What the webview persists through `setState` and the serializer hands back after a reload. */
export interface GalleryWebviewState {
  datasetRoot?: string;
}

/** One gallery webview over one dataset folder. */
export class GalleryPanel extends Disposable {
  private readonly messages: MessageHandler<ToWebviewBody, FromWebviewBody>;
  private lastRendered: RenderedEvent | undefined;
  private readonly renderedEmitter = this.register(new vscode.EventEmitter<RenderedEvent>());
  /** Fires each time the webview reports what it rendered. */
  readonly onDidRender = this.renderedEmitter.event;
  private readonly disposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposeEmitter.event;

  static create(extensionUri: vscode.Uri, datasetRoot: string): GalleryPanel {
    const panel = vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, `X-Ray Gallery: ${path.basename(datasetRoot)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
    });
    return new GalleryPanel(panel, extensionUri, datasetRoot);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly datasetRoot: string,
  ) {
    super();
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(extensionUri, 'media'),
        vscode.Uri.file(datasetRoot),
      ],
    };
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
          return;
        }
        void this.messages.handleMessage(message);
      }),
    );
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

  override dispose(): void {
    if (this.isDisposed) return;
    this.disposeEmitter.fire();
    this.messages.dispose();
    super.dispose();
    this.panel.dispose();
  }

  private async onMessage(body: FromWebviewBody): Promise<ToWebviewBody | undefined> {
    switch (body.type) {
      case 'ready': {
        const dataset = await openDataset(this.datasetRoot);
        return {
          type: 'ready',
          dataset: summarize(dataset),
          items: this.toGalleryItems(dataset),
          editable: vscode.workspace.isTrusted,
        };
      }
      case 'rendered':
        this.lastRendered = body;
        this.renderedEmitter.fire(body);
        return undefined;
    }
  }

  private toGalleryItems(dataset: Dataset): GalleryItem[] {
    const webview = this.panel.webview;
    const rootUrl = webview.asWebviewUri(vscode.Uri.file(dataset.root)).toString();
    return dataset.items.map((item) => ({
      id: item.id,
      label: item.label,
      flagged: item.flagged,
      imageUrl: item.error ? undefined : `${rootUrl}/${item.id.split('/').map(encodeURIComponent).join('/')}`,
      error: item.error,
    }));
  }
}

function summarize(dataset: Dataset): DatasetSummary {
  const counts: Record<string, number> = Object.fromEntries(dataset.classes.map((name) => [name, 0]));
  let unlabeled = 0;
  for (const item of dataset.items) {
    if (item.label === null) unlabeled++;
    else counts[item.label] = (counts[item.label] ?? 0) + 1;
  }
  if (unlabeled) counts.unlabeled = unlabeled;
  return { name: path.basename(dataset.root), root: dataset.root, classes: dataset.classes, counts };
}
