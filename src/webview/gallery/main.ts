// The gallery webview: browser code, never imports `vscode`. It keeps only UI state (tile size, scroll) through
// `setState`; the items come from the host after the ready handshake.
import { MessageHandler } from '../../shared/messageHandler';
import type { FromWebviewBody, GalleryItem, ReadyReply, ToWebviewBody, WebviewMessage } from '../../shared/protocol';
import { VirtualGrid } from './virtualGrid';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** UI state that survives hiding and reloading the panel. */
interface UiState {
  datasetRoot?: string;
  tileSize: number;
  scrollTop: number;
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as Partial<UiState> | undefined;
const ui: UiState = { tileSize: saved?.tileSize ?? 180, scrollTop: saved?.scrollTop ?? 0, datasetRoot: saved?.datasetRoot };
const saveUi = (): void => vscode.setState(ui);

const messages = new MessageHandler<FromWebviewBody, ToWebviewBody>(
  (message) => vscode.postMessage(message),
  (body) => {
    switch (body.type) {
      case 'itemsChanged':
        showItems(body.items, body.dataset);
        return undefined;
      case 'showError':
        showError(body.message);
        return undefined;
      default:
        return undefined;
    }
  },
);
window.addEventListener('message', (event: MessageEvent<WebviewMessage<ToWebviewBody>>) => void messages.handleMessage(event.data));

const header = element('header', 'toolbar');
const title = element('h1', 'title');
const counts = element('div', 'counts');
counts.setAttribute('aria-live', 'polite');
const sizeLabel = element('label', 'tile-size');
sizeLabel.textContent = 'Tile size ';
const sizeInput = document.createElement('input');
Object.assign(sizeInput, { type: 'range', min: '96', max: '360', step: '12', value: String(ui.tileSize) });
sizeLabel.append(sizeInput);
header.append(title, counts, sizeLabel);
const banner = element('div', 'banner');
banner.setAttribute('role', 'alert');
banner.hidden = true;
const gridHost = element('main', 'grid-host');
document.body.append(header, banner, gridHost);

const grid = new VirtualGrid<GalleryItem>(gridHost, renderTile, ui.tileSize);
grid.onScroll = (scrollTop) => {
  ui.scrollTop = scrollTop;
  saveUi();
};
sizeInput.addEventListener('input', () => {
  ui.tileSize = Number(sizeInput.value);
  grid.setTileSize(ui.tileSize);
  saveUi();
});

void start();

async function start(): Promise<void> {
  try {
    const reply = (await messages.sendRequest({ type: 'ready' })) as ToWebviewBody;
    if (reply.type !== 'ready') throw new Error(`unexpected reply ${reply.type}`);
    const ready = reply as ReadyReply;
    ui.datasetRoot = ready.dataset.root;
    saveUi();
    showItems(ready.items, ready.dataset);
    grid.scrollTo(ui.scrollTop);
    requestAnimationFrame(() =>
      messages.sendEvent({
        type: 'rendered',
        itemCount: ready.items.length,
        classCount: ready.dataset.classes.length,
        visibleTiles: gridHost.querySelectorAll('.tile:not([hidden])').length,
      }),
    );
  } catch (error) {
    showError(`Could not open the dataset: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function showItems(items: GalleryItem[], dataset: ReadyReply['dataset']): void {
  title.textContent = dataset.name;
  counts.textContent = `${items.length} images · ${Object.entries(dataset.counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(' · ')}`;
  grid.setItems(items);
}

function showError(message: string): void {
  banner.textContent = message;
  banner.hidden = false;
}

/** Fills a tile element for one item; names go in through `textContent`, never as HTML. */
function renderTile(tile: HTMLElement, item: GalleryItem): void {
  tile.replaceChildren();
  tile.className = 'tile';
  tile.dataset.id = item.id;
  tile.title = item.id;
  if (item.imageUrl) {
    const img = document.createElement('img');
    img.decoding = 'async';
    img.alt = item.id;
    img.src = item.imageUrl;
    tile.append(img);
  } else {
    const broken = element('div', 'broken');
    broken.textContent = item.error ?? 'unreadable';
    tile.append(broken);
  }
  const caption = element('div', 'caption');
  const name = element('span', 'name');
  name.textContent = item.id.slice(item.id.lastIndexOf('/') + 1);
  const label = element('span', 'label');
  label.textContent = item.label ?? 'unlabelled';
  caption.append(name, label);
  tile.append(caption);
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
