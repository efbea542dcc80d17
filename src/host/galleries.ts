import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { GALLERY_VIEW_TYPE, GalleryPanel } from './galleryPanel';
import type { GalleryWebviewState } from './galleryPanel';
import { MapPanel } from './map/mapPanel';

/** The open gallery panels: one per dataset folder, restored after a reload by the serializer; and the map beside each. */
export class Galleries extends Disposable {
  private readonly panels = new Map<string, GalleryPanel>();
  private readonly maps = new Map<GalleryPanel, MapPanel>();
  private readonly labelsEmitter = this.register(new vscode.EventEmitter<GalleryPanel>());
  /** A gallery whose labels changed (the side bar's and status bar's counts follow). */
  readonly onDidChangeLabels = this.labelsEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** The extension's global storage, where the gallery caches thumbnails. */
    private readonly storageUri?: vscode.Uri,
  ) {
    super();
    this.register(
      vscode.window.registerWebviewPanelSerializer(GALLERY_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const root = typeof state === 'object' && state !== null ? (state as GalleryWebviewState).datasetRoot : undefined;
          if (typeof root !== 'string' || !root) {
            panel.dispose();
            return;
          }
          this.track(new GalleryPanel(panel, this.extensionUri, root, this.storageUri));
        },
      }),
    );
    // Another reader name: each open gallery opens again as that reader (blind reading and the queues follow).
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('xrayCurator.journalUser')) this.reopenAll();
      }),
    );
  }

  open(datasetRoot: string): GalleryPanel {
    const existing = this.panels.get(datasetRoot);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    return this.track(GalleryPanel.create(this.extensionUri, datasetRoot, this.storageUri));
  }

  /** The map beside the dataset's gallery (both opened if need be). */
  openMap(datasetRoot: string): MapPanel {
    const gallery = this.open(datasetRoot);
    const existing = this.maps.get(gallery);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const map = new MapPanel(this.extensionUri, gallery);
    this.maps.set(gallery, map);
    map.onDidDispose(() => this.maps.delete(gallery));
    return map;
  }

  get(datasetRoot: string): GalleryPanel | undefined {
    return this.panels.get(datasetRoot);
  }

  /** The dataset of the gallery the user looked at last, if one is open. */
  activeRoot(): string | undefined {
    const panels = [...this.panels.values()];
    return (panels.find((p) => p.panel.active) ?? panels.at(-1))?.datasetRoot;
  }

  override dispose(): void {
    for (const map of this.maps.values()) map.dispose();
    for (const panel of this.panels.values()) panel.dispose();
    super.dispose();
  }

  private reopenAll(): void {
    for (const [root, panel] of [...this.panels]) {
      panel.dispose();
      this.open(root);
    }
  }

  private track(panel: GalleryPanel): GalleryPanel {
    this.panels.set(panel.datasetRoot, panel);
    panel.onDidDispose(() => this.panels.delete(panel.datasetRoot));
    panel.onDidChangeLabels(() => this.labelsEmitter.fire(panel));
    return panel;
  }
}
