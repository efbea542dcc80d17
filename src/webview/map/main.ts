// The dataset-map webview: browser code, never imports `vscode`. It keeps only UI state (the colouring) through
// `setState`; the points and their colours come from the host after the ready handshake, and a lasso or box sends
// the indices inside it, which the host shows in the gallery.
import { MessageHandler } from '../../shared/messageHandler';
import type { FromMapBody, MapColouring, ToMapBody } from '../../shared/mapProtocol';
import type { WebviewMessage } from '../../shared/protocol';
import { legendRows, pointColours } from './legend';
import { MapCanvas } from './mapCanvas';
import { vscodeApi } from '../vscodeApi';

const vscode = vscodeApi();
const saved = (vscode.getState() ?? {}) as { colourBy?: unknown };
let colourBy = typeof saved.colourBy === 'string' ? saved.colourBy : 'label';
/** The map makes UMAP over every embedding the first time: minutes at 400,000 images. */
const READY_TIMEOUT_MS = 30 * 60_000;

let colourings: MapColouring[] = [];
let points = 0;
let selected: number[] = [];
let highlighted: number[] = [];
let hovered = -1;

const messages = new MessageHandler<FromMapBody, ToMapBody>(
  (message) => vscode.postMessage(message),
  (body) => {
    if (body.type === 'colours') {
      colourings = body.colourings;
      paint();
    } else if (body.type === 'highlight') {
      highlighted = body.highlighted;
      paint();
    }
    return undefined;
  },
);
window.addEventListener('message', (event: MessageEvent<WebviewMessage<ToMapBody>>) => void messages.handleMessage(event.data));

const header = element('header', 'map-bar');
const title = element('h1', 'title');
const colourSelect = document.createElement('select');
colourSelect.setAttribute('aria-label', 'Colour the points by');
const status = element('div', 'map-status');
status.setAttribute('aria-live', 'polite');
const clear = document.createElement('button');
clear.textContent = 'Clear selection';
clear.addEventListener('click', () => select([]));
const help = element('div', 'map-help');
help.textContent = 'Drag: lasso · Shift+drag: box · wheel: zoom · right-drag: pan · double-click: fit';
header.append(title, colourSelect, clear, status, help);
const body = element('div', 'map-body');
const map = new MapCanvas();
const legend = element('aside', 'legend');
body.append(map.canvas, legend);
const note = element('footer', 'map-note');
const tooltip = element('div', 'map-tooltip');
tooltip.hidden = true;
document.body.append(header, body, note, tooltip);

colourSelect.addEventListener('change', () => {
  colourBy = colourSelect.value;
  vscode.setState({ colourBy });
  paint();
});
map.onSelect = select;
map.onHover = (index, x, y) => void hover(index, x, y);

void start();

async function start(): Promise<void> {
  status.textContent = 'Making the map from the cached embeddings…';
  try {
    const reply = await messages.sendRequest({ type: 'ready' }, READY_TIMEOUT_MS);
    if (reply.type !== 'mapReady') throw new Error(`unexpected reply ${reply.type}`);
    title.textContent = `Map of ${reply.name}`;
    note.textContent = reply.note;
    colourings = reply.colourings;
    highlighted = reply.highlighted;
    points = reply.points.x.length;
    colourSelect.replaceChildren(...colourings.map((c) => Object.assign(document.createElement('option'), { value: c.name, textContent: `Colour: ${c.title}` })));
    if (!colourings.some((c) => c.name === colourBy)) colourBy = 'label';
    map.setPoints(reply.points.x, reply.points.y);
    paint();
    document.body.dataset.points = String(points);
  } catch (error) {
    status.textContent = `The map could not be made: ${error instanceof Error ? error.message : String(error)}`;
    document.body.dataset.error = 'true';
  }
}

function paint(): void {
  const colouring = colourings.find((c) => c.name === colourBy) ?? colourings[0];
  if (!colouring) return;
  colourSelect.value = colouring.name;
  map.setLayers({ colours: pointColours(colouring, points), selected, highlighted });
  legend.replaceChildren(...legendRows(colouring, points));
  status.textContent = `${points.toLocaleString('en-US')} images${selected.length ? ` · ${selected.length.toLocaleString('en-US')} selected, shown in the gallery` : ''}`;
  document.body.dataset.selected = String(selected.length);
  document.body.dataset.highlighted = String(highlighted.length);
}

function select(indices: number[]): void {
  selected = indices;
  paint();
  messages.sendEvent({ type: 'select', indices });
}

async function hover(index: number, x: number, y: number): Promise<void> {
  hovered = index;
  if (index < 0) {
    tooltip.hidden = true;
    return;
  }
  const reply = await messages.sendRequest({ type: 'point', index }).catch(() => undefined);
  if (hovered !== index || reply?.type !== 'point') return;
  const facts = colourings.flatMap((c) => (c.codes && c.codes[index] !== 255 ? [`${c.title}: ${c.categories?.[c.codes[index]]}`] : []));
  tooltip.textContent = [reply.id, ...facts].join('\n');
  Object.assign(tooltip.style, { left: `${x + 12}px`, top: `${y + 12}px` });
  tooltip.hidden = false;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
