// The gallery webview: browser code, never imports `vscode`. It keeps only UI state (filters, scroll, selection,
// tile size) through `setState`; the items come from the host after the ready handshake, and every edit goes to
// the host, which answers when it is in the journal. Edits show on the tile at once and are rolled back if refused.
import { MessageHandler } from '../../shared/messageHandler';
import type { DatasetSummary, FromWebviewBody, GalleryFilterRequest, GalleryItem, ToWebviewBody, WebviewMessage } from '../../shared/protocol';
import { DetailView } from './detail';
import { FilterBar } from './filterBar';
import { applyFilter, DEFAULT_FILTER, facetCounts, filterFromRequest, restoreFilter } from './filters';
import type { FilterState } from './filters';
import { HelpOverlay } from './help';
import { nextToReview, queueBanner, queueFilter, queueOf, restoreVerdicts, verdictEdit, withVerdict } from './issueQueue';
import type { Verdict } from './issueQueue';
import { afterEdit, commandForKey, editTargets, focusItem, moveFocus } from './keyboard';
import type { GalleryCommand, SelectionState } from './keyboard';
import { element, loadTileImage, releaseTileImage, renderTile } from './tile';
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
  filter: FilterState;
  focus?: string;
  selected: string[];
  detail?: string;
  /** Showing the label-issue queue (within the filter). */
  issueQueue: boolean;
  /** Verdicts given in the issue queue, by item id. */
  verdicts: Record<string, Verdict>;
}

/** Selections larger than this are not persisted (state is serialized on every change). */
const MAX_SAVED_SELECTION = 5000;

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<UiState>;
const ui: UiState = {
  datasetRoot: typeof saved.datasetRoot === 'string' ? saved.datasetRoot : undefined,
  tileSize: typeof saved.tileSize === 'number' ? saved.tileSize : 180,
  scrollTop: typeof saved.scrollTop === 'number' ? saved.scrollTop : 0,
  filter: saved.filter ? restoreFilter(saved.filter) : DEFAULT_FILTER,
  focus: typeof saved.focus === 'string' ? saved.focus : undefined,
  selected: Array.isArray(saved.selected) ? saved.selected.filter((id): id is string => typeof id === 'string') : [],
  detail: typeof saved.detail === 'string' ? saved.detail : undefined,
  issueQueue: saved.issueQueue === true,
  verdicts: restoreVerdicts(saved.verdicts),
};
const saveUi = (): void => vscode.setState(ui);

let dataset: DatasetSummary | undefined;
let editable = false;
let items: GalleryItem[] = [];
const byId = new Map<string, GalleryItem>();
let view: GalleryItem[] = [];
let viewIds: string[] = [];
const viewIndex = new Map<string, number>();
let selection: SelectionState = { focus: ui.focus, anchor: ui.focus, selected: new Set(ui.selected) };
let pending = 0;

const messages = new MessageHandler<FromWebviewBody, ToWebviewBody>(
  (message) => vscode.postMessage(message),
  (body) => {
    switch (body.type) {
      case 'itemsChanged':
        dataset = body.dataset;
        setItems(body.items);
        return undefined;
      case 'itemsPatched':
        dataset = body.dataset;
        patchItems(body.items, body.removed);
        return undefined;
      case 'editableChanged':
        editable = body.editable;
        showStatus();
        return undefined;
      case 'setFilter':
        showRequested(body.filter);
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
const status = element('div', 'counts');
status.setAttribute('aria-live', 'polite');
const keysHint = element('div', 'keys');
const sizeLabel = element('label', 'tile-size');
sizeLabel.textContent = 'Tile size ';
const sizeInput = document.createElement('input');
Object.assign(sizeInput, { type: 'range', min: '96', max: '360', step: '12', value: String(ui.tileSize) });
sizeLabel.append(sizeInput);
const queueButton = document.createElement('button');
queueButton.title = 'Review the label issues of the last audit one by one (i)';
const helpButton = document.createElement('button');
helpButton.textContent = '? Keys';
helpButton.title = 'Keyboard shortcuts (?)';
header.append(title, status, keysHint, sizeLabel, queueButton, helpButton);
const filterBar = new FilterBar(ui.filter, setFilter);
const banner = element('div', 'banner');
banner.setAttribute('role', 'alert');
banner.hidden = true;
const bannerText = element('span', '');
const bannerClose = document.createElement('button');
bannerClose.textContent = 'Dismiss';
bannerClose.addEventListener('click', () => (banner.hidden = true));
banner.append(bannerText, bannerClose);
// gallery.css belongs to the grid's styles; the queue line is styled here (CSSOM styles are allowed by the CSP).
const queueBar = element('div', 'issue-queue');
queueBar.setAttribute('role', 'status');
Object.assign(queueBar.style, {
  padding: '6px 12px',
  fontWeight: '600',
  background: 'var(--vscode-editorInfo-background, var(--vscode-textBlockQuote-background))',
  borderTop: '1px solid var(--vscode-editorInfo-foreground, var(--vscode-focusBorder))',
  borderBottom: '1px solid var(--vscode-editorInfo-foreground, var(--vscode-focusBorder))',
});
const gridHost = element('main', 'grid-host');
gridHost.tabIndex = 0;
gridHost.setAttribute('aria-label', 'Images');
const detail = new DetailView((body) => messages.sendRequest(body));
const help = new HelpOverlay();
document.body.append(header, filterBar.root, banner, queueBar, gridHost, detail.root, help.root);

const grid = new VirtualGrid<GalleryItem>(
  gridHost,
  {
    render: (tile, item) => renderTile(tile, item, { focused: item.id === selection.focus, selected: selection.selected.has(item.id) }),
    // Thumbnails are asked for only for tiles that stay on screen, not for every item a fast scroll passes.
    settle: (tile, item) => {
      loadTileImage(tile);
      if (!item.thumbUrl && item.imageUrl) wantThumbnail(item.id);
    },
    release: releaseTileImage,
  },
  ui.tileSize,
);
grid.onScroll = (scrollTop) => {
  ui.scrollTop = scrollTop;
  saveUi();
};
sizeInput.addEventListener('input', () => {
  ui.tileSize = Number(sizeInput.value);
  grid.setTileSize(ui.tileSize);
  saveUi();
});
helpButton.addEventListener('click', () => help.toggle());
queueButton.addEventListener('click', () => {
  setIssueQueue(!ui.issueQueue);
  gridHost.focus();
});
detail.onClose = closeDetail;
gridHost.addEventListener('click', (event) => {
  const id = (event.target as HTMLElement).closest<HTMLElement>('.tile')?.dataset.id;
  const index = id !== undefined ? viewIndex.get(id) : undefined;
  if (index === undefined) return;
  focusIndex(index, event.shiftKey ? 'extend' : event.ctrlKey || event.metaKey ? 'toggle' : 'plain');
});
gridHost.addEventListener('dblclick', (event) => {
  if ((event.target as HTMLElement).closest('.tile')) void openDetail();
});
document.addEventListener('keydown', onKeyDown);

void start();

async function start(): Promise<void> {
  try {
    const reply = await messages.sendRequest({ type: 'ready' });
    if (reply.type !== 'ready') throw new Error(`unexpected reply ${reply.type}`);
    ui.datasetRoot = reply.dataset.root;
    dataset = reply.dataset;
    editable = reply.editable;
    if (reply.warnings.length) showError(reply.warnings.join('\n'));
    if (reply.filter) takeRequest(reply.filter);
    setItems(reply.items);
    if (reply.filter?.issueQueue) focusFirstIssue();
    grid.scrollTo(ui.scrollTop);
    if (ui.detail && byId.has(ui.detail)) void openDetail(ui.detail);
    else gridHost.focus();
    requestAnimationFrame(() =>
      messages.sendEvent({
        type: 'rendered',
        itemCount: reply.items.length,
        classCount: reply.dataset.classes.length,
        visibleTiles: gridHost.querySelectorAll('.tile:not([hidden])').length,
      }),
    );
  } catch (error) {
    showError(`Could not open the dataset: ${message(error)}`);
  }
}

function setItems(next: GalleryItem[]): void {
  items = next;
  byId.clear();
  for (const item of items) byId.set(item.id, item);
  rebuildView();
}

/** Applies changed items in place; the view is re-filtered only when items appear or disappear. */
function patchItems(changed: readonly GalleryItem[], removed: readonly string[]): void {
  let membershipChanged = removed.length > 0;
  for (const item of changed) {
    if (!byId.has(item.id)) membershipChanged = true;
    byId.set(item.id, item);
    const index = viewIndex.get(item.id);
    if (index !== undefined) {
      view[index] = item;
      grid.refresh(index);
    }
  }
  for (const id of removed) byId.delete(id);
  items = [...byId.values()];
  if (membershipChanged) rebuildView();
  else showStatus();
  if (detail.shownId && (changed.some((item) => item.id === detail.shownId) || removed.includes(detail.shownId))) void openDetail(detail.shownId);
}

function setFilter(filter: FilterState): void {
  ui.filter = filter;
  rebuildView();
  saveUi();
}

/** A filter asked for from outside (a command, the side bar): exactly that, in or out of the issue queue. */
function takeRequest(request: GalleryFilterRequest): void {
  ui.issueQueue = request.issueQueue === true;
  ui.filter = ui.issueQueue ? queueFilter(filterFromRequest(request)) : filterFromRequest(request);
}

function showRequested(request: GalleryFilterRequest): void {
  takeRequest(request);
  rebuildView();
  saveUi();
  if (ui.issueQueue) focusFirstIssue();
}

function setIssueQueue(on: boolean): void {
  ui.issueQueue = on;
  if (on) ui.filter = queueFilter(ui.filter);
  rebuildView();
  saveUi();
  if (on) focusFirstIssue();
}

function focusFirstIssue(): void {
  const first = nextToReview(viewIds, ui.verdicts) ?? viewIds[0];
  if (first !== undefined) focusIndex(viewIndex.get(first)!, 'plain');
}

function rebuildView(): void {
  const filtered = applyFilter(items, ui.filter);
  view = ui.issueQueue ? queueOf(filtered) : filtered;
  viewIds = view.map((item) => item.id);
  viewIndex.clear();
  viewIds.forEach((id, index) => viewIndex.set(id, index));
  grid.setItems(view);
  showStatus();
}

function showStatus(): void {
  if (!dataset) return;
  const counts = facetCounts(items);
  filterBar.update(ui.filter, dataset.classes, counts);
  title.textContent = dataset.name;
  const parts = [`Showing ${view.length.toLocaleString('en-US')} of ${items.length.toLocaleString('en-US')}`];
  if (selection.selected.size) parts.push(`${selection.selected.size.toLocaleString('en-US')} selected`);
  const classCounts = Object.entries(dataset.counts).map(([name, count]) => `${name} ${count}`);
  if (classCounts.length) parts.push(classCounts.join(' · '));
  // Patient-grouped data (DICOM's PatientID, a manifest's patient_id): how many patients the images come from.
  if (counts.patients) parts.push(`${counts.patients.toLocaleString('en-US')} patient${counts.patients === 1 ? '' : 's'}`);
  if (dataset.model) parts.push(`model ${dataset.model}: ${counts.misclassified} misclassified`);
  if (!editable) parts.push('read-only (Restricted Mode)');
  if (pending) parts.push('saving…');
  status.textContent = parts.join(' · ');
  keysHint.textContent = dataset.classes.slice(0, 9).map((name, i) => `${i + 1} ${name}`).join(' · ');
  document.body.dataset.pending = String(pending);
  const issues = items.reduce((n, item) => (item.suggestedLabel !== undefined ? n + 1 : n), 0);
  queueButton.textContent = `Issue queue (${issues.toLocaleString('en-US')})`;
  queueButton.setAttribute('aria-pressed', String(ui.issueQueue));
  queueButton.style.fontWeight = ui.issueQueue ? '700' : '';
  queueBar.style.display = ui.issueQueue ? '' : 'none';
  if (ui.issueQueue) {
    const index = selection.focus !== undefined ? (viewIndex.get(selection.focus) ?? -1) : -1;
    queueBar.textContent = queueBanner(viewIds, view[index], index, ui.verdicts);
  }
}

/** Tiles rendered without a thumbnail ask the host for one, in one message per frame. */
const wantedThumbnails = new Set<string>();
function wantThumbnail(id: string): void {
  if (wantedThumbnails.size === 0) {
    requestAnimationFrame(() => {
      messages.sendEvent({ type: 'thumbnails', ids: [...wantedThumbnails] });
      wantedThumbnails.clear();
    });
  }
  wantedThumbnails.add(id);
}

function showError(text: string): void {
  bannerText.textContent = text;
  banner.hidden = false;
}

function onKeyDown(event: KeyboardEvent): void {
  const target = event.target;
  if (target instanceof HTMLElement && target.matches('input, select, textarea')) {
    if (event.key === 'Escape' && target === filterBar.search) gridHost.focus();
    return;
  }
  if (target instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' ')) return;
  if (help.isOpen) {
    if (event.key === 'Escape' || event.key === '?') {
      event.preventDefault();
      help.toggle();
    }
    return;
  }
  const command = commandForKey(event, ui.issueQueue);
  if (!command) return;
  event.preventDefault();
  run(command);
}

function run(command: GalleryCommand): void {
  const focused = selection.focus !== undefined ? (viewIndex.get(selection.focus) ?? -1) : -1;
  const how = (extend: boolean): 'extend' | 'plain' => (extend ? 'extend' : 'plain');
  switch (command.kind) {
    case 'move':
      return focusIndex(moveFocus(focused, command.dx, command.dy, grid.columns, view.length), how(command.extend));
    case 'page':
      return focusIndex(moveFocus(focused, 0, command.direction * grid.rowsPerPage, grid.columns, view.length), how(command.extend));
    case 'edge':
      return focusIndex(command.to === 'first' ? 0 : view.length - 1, how(command.extend));
    case 'setClass': {
      const label = dataset?.classes[command.index];
      if (label === undefined) return showError(`There is no class ${command.index + 1}: the classes are ${dataset?.classes.join(', ')}.`);
      return relabel(label);
    }
    case 'unlabel':
      return relabel(null);
    case 'toggleFlag':
      return toggleFlag();
    case 'undo':
    case 'redo':
      if (canEdit()) void request({ type: command.kind });
      return;
    case 'openDetail':
      void openDetail();
      return;
    case 'selectAll':
      selection = { ...selection, selected: new Set(viewIds) };
      return selectionChanged();
    case 'help':
      return help.toggle();
    case 'search':
      return filterBar.search.focus();
    case 'issueQueue':
      return setIssueQueue(!ui.issueQueue);
    case 'review':
      return review(command.verdict);
    case 'escape':
      if (detail.shownId) return closeDetail();
      selection = { ...selection, selected: new Set() };
      return selectionChanged();
  }
}

function focusIndex(index: number, how: 'plain' | 'extend' | 'toggle'): void {
  if (index < 0) return;
  selection = focusItem(selection, viewIds, index, how);
  grid.reveal(index);
  selectionChanged();
  if (detail.shownId) void openDetail();
}

function selectionChanged(): void {
  grid.refreshAll();
  ui.focus = selection.focus;
  ui.selected = selection.selected.size <= MAX_SAVED_SELECTION ? [...selection.selected] : [];
  saveUi();
  showStatus();
}

function relabel(label: string | null): void {
  const targets = editTargets(selection, viewIds);
  if (targets.length) void editOptimistically(targets, (item) => ({ ...item, label }), { type: 'relabel', ids: targets, label });
}

function toggleFlag(): void {
  const targets = editTargets(selection, viewIds);
  if (!targets.length) return;
  const flagged = targets.some((id) => !byId.get(id)?.flagged);
  void editOptimistically(targets, (item) => ({ ...item, flagged }), { type: 'flag', ids: targets, flagged });
}

/**
 * A verdict on the focused issue: accept relabels it to the suggestion, flag flags it, keep writes nothing; the
 * focus moves to the next issue without a verdict. A refused edit takes its verdict back.
 */
function review(verdict: Verdict): void {
  const id = selection.focus;
  const item = id !== undefined && viewIndex.has(id) ? byId.get(id) : undefined;
  if (!item || (verdict !== 'kept' && !canEdit())) return;
  ui.verdicts = { ...ui.verdicts, [item.id]: verdict };
  const next = nextToReview(viewIds, ui.verdicts, item.id) ?? item.id;
  const edit = verdictEdit(item, verdict);
  if (!edit) return focusIndex(viewIndex.get(next)!, 'plain');
  void editOptimistically([item.id], (it) => withVerdict(it, verdict), edit, { focus: next, anchor: next, selected: new Set() }).then((ok) => {
    if (ok) return;
    const verdicts = { ...ui.verdicts };
    delete verdicts[item.id];
    ui.verdicts = verdicts;
    saveUi();
    showStatus();
  });
}

/**
 * Shows an edit on its tiles synchronously (within the keypress's frame), moves the focus on (to `after`, by
 * default the item after the targets), then asks the host; if the host refuses (read-only folder, Restricted
 * Mode) the tiles go back and the banner says why. Resolves with whether the host saved it.
 */
function editOptimistically(
  targets: readonly string[],
  change: (item: GalleryItem) => GalleryItem,
  body: FromWebviewBody,
  after: SelectionState = afterEdit(selection, viewIds, targets),
): Promise<boolean> {
  if (!canEdit()) return Promise.resolve(false);
  const before = targets.map((id) => byId.get(id)).filter((item): item is GalleryItem => item !== undefined);
  patchItems(before.map(change), []);
  selection = after;
  const next = selection.focus !== undefined ? viewIndex.get(selection.focus) : undefined;
  if (next !== undefined) grid.reveal(next);
  selectionChanged();
  return request(body).then((ok) => {
    if (!ok) patchItems(before, []);
    return ok;
  });
}

/** In Restricted Mode nothing is edited, not even for a moment on the tile; the banner says why. */
function canEdit(): boolean {
  if (!editable) showError('Restricted Mode: labels cannot be changed until you trust this folder (Manage Workspace Trust).');
  return editable;
}

/** Sends an edit request; returns false (and shows why) when the host refused it. */
async function request(body: FromWebviewBody): Promise<boolean> {
  pending++;
  showStatus();
  try {
    await messages.sendRequest(body);
    return true;
  } catch (error) {
    showError(`Not saved: ${message(error)}`);
    return false;
  } finally {
    pending--;
    showStatus();
  }
}

async function openDetail(id = selection.focus): Promise<void> {
  if (id === undefined) return;
  try {
    const reply = await messages.sendRequest({ type: 'detail', id });
    if (reply.type !== 'detail') throw new Error(`unexpected reply ${reply.type}`);
    detail.show(reply, byId.get(id));
    ui.detail = id;
    saveUi();
  } catch (error) {
    showError(`Cannot open ${id}: ${message(error)}`);
  }
}

function closeDetail(): void {
  detail.hide();
  ui.detail = undefined;
  saveUi();
  gridHost.focus();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
