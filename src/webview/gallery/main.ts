// The gallery webview: browser code, never imports `vscode`. It keeps only UI state (filters, scroll, selection,
// tile size) through `setState`; the items come from the host in pages after the ready handshake (tiles show from
// the first page on), and every edit goes to the host, which answers when it is in the journal. Edits show on the
// tile at once and are rolled back if refused.
import { originalUrl, thumbnailUrl } from '../../shared/itemUrls';
import { MessageHandler } from '../../shared/messageHandler';
import type { DatasetSummary, FromWebviewBody, GalleryItem, GalleryUrls, ScanProgress, ToWebviewBody, WebviewMessage } from '../../shared/protocol';
import { DetailView } from './detail';
import { activeFinding, cycleFinding, findingKeysHint } from './findings/activeFinding';
import { showFindingModel } from './findings/findingFilter';
import { FilterBar } from './filterBar';
import { listMatch, MAX_SAVED_LIST } from './itemList';
import { MAX_IDS_PER_EDIT } from '../../shared/parseMessage';
import type { FilterState } from './filters';
import { HelpOverlay } from './help';
import { queueFinding } from './issueQueue';
import { ShownItems } from './shownItems';
import { GalleryModes } from './modes';
import { Edits } from './edits';
import { focusItem } from './keyboard';
import type { SelectionState } from './keyboard';
import { onKeyDown } from './commandRunner';
import type { GalleryActions } from './commandRunner';
import { ItemStore } from './itemStore';
import { PageIntake } from './pageIntake';
import { element, loadTileImage, releaseTileImage, renderTile } from './tile';
import { Toolbar } from './toolbar';
import { batchPerFrame, statusLine } from './statusLine';
import { findingsToDecide } from './readers/readingText';
import { StudyQueues } from './readers/studyQueues';
import { MAX_SAVED_SELECTION, restoreUiState } from './uiState';
import { VirtualGrid } from './virtualGrid';
import { vscodeApi } from '../vscodeApi';

const vscode = vscodeApi();
const ui = restoreUiState(vscode.getState());
// A long list (a big selection on the map) is not saved: the state is serialized on every change.
const saveUi = (): void => vscode.setState(ui.filter.list && ui.filter.list.ids.length > MAX_SAVED_LIST ? { ...ui, filter: { ...ui.filter, list: undefined } } : ui);

let dataset: DatasetSummary | undefined;
let editable = false;
let urls: GalleryUrls = { dataset: '' };
let scan: ScanProgress | undefined;
const store = new ItemStore();
const shown = new ShownItems(store);
const intake = new PageIntake(store, rebuildView);
let selection: SelectionState = { focus: ui.focus, anchor: ui.focus, selected: new Set(ui.selected) };

const messages = new MessageHandler<FromWebviewBody, ToWebviewBody>(
  (message) => vscode.postMessage(message),
  (body) => {
    switch (body.type) {
      case 'itemsChanged':
        takeSummary(body.dataset);
        intake.reset(body);
        return undefined;
      case 'itemsPage':
        intake.arrived(body.generation, body.items);
        return undefined;
      case 'scanProgress':
        scan = body.scan;
        showStatus();
        return undefined;
      case 'itemsPatched':
        takeSummary(body.dataset);
        patchItems(body.items, body.removed);
        return undefined;
      case 'editableChanged':
        editable = body.editable;
        showStatus();
        return undefined;
      case 'setFilter':
        modes.showRequested(body.filter);
        return undefined;
      case 'listUpdated':
        if (ui.filter.list?.kind === body.list.kind) modes.showList(body.list, false);
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

const toolbar = new Toolbar(ui.tileSize);
const { title, status, keysHint, sizeInput, queueButton, helpButton } = toolbar;
const filterBar = new FilterBar(ui.filter, setFilter);
const gridHost = element('main', 'grid-host');
gridHost.tabIndex = 0;
gridHost.setAttribute('aria-label', 'Images');
const detail = new DetailView((body) => messages.sendRequest(body));
const help = new HelpOverlay();
document.body.append(...toolbar.above, filterBar.root, ...toolbar.below, gridHost, detail.root, help.root);

const grid = new VirtualGrid<GalleryItem>(
  gridHost,
  {
    render: (tile, item) => {
      const thumb = thumbnailUrl(urls, item);
      renderTile(tile, item, { focused: item.id === selection.focus, selected: selection.selected.has(item.id), url: thumb ?? originalUrl(urls, item), original: !thumb });
    },
    // Thumbnails are asked for only for tiles that stay on screen, not for every item a fast scroll passes.
    settle: (tile, item, _index, scrolling) => {
      loadTileImage(tile, scrolling);
      if (!item.thumb && !item.error) wantThumbnail(item.id);
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
  modes.setIssueQueue(!ui.issueQueue);
  gridHost.focus();
});
toolbar.listClose.addEventListener('click', () => {
  modes.leaveList();
  gridHost.focus();
});
detail.onClose = closeDetail;
detail.onMoreLikeThis = (id) => void modes.moreLikeThis(id);
detail.onFindRegion = (id, box) => void modes.findRegion(id, box);
detail.onSetFinding = (id, finding, state) => edits.setFinding(finding, state, [id]);
gridHost.addEventListener('click', (event) => {
  const id = (event.target as HTMLElement).closest<HTMLElement>('.tile')?.dataset.id;
  const index = id !== undefined ? shown.indexOf(id) : undefined;
  if (index === undefined) return;
  focusIndex(index, event.shiftKey ? 'extend' : event.ctrlKey || event.metaKey ? 'toggle' : 'plain');
});
gridHost.addEventListener('dblclick', (event) => {
  if ((event.target as HTMLElement).closest('.tile')) void openDetail();
});
document.addEventListener('keydown', (event) => onKeyDown(event, { search: filterBar.search, grid: gridHost, help, inIssueQueue: () => ui.issueQueue, actions }));

void start();

async function start(): Promise<void> {
  try {
    // Marks for the benchmark of the real editor: when the script ran and when the host answered.
    performance.mark('xray:ready-sent');
    const reply = await messages.sendRequest({ type: 'ready' });
    performance.mark('xray:ready-answered');
    if (reply.type !== 'ready') throw new Error(`unexpected reply ${reply.type}`);
    ui.datasetRoot = reply.dataset.root;
    takeSummary(reply.dataset);
    editable = reply.editable;
    urls = reply.urls;
    scan = reply.scan;
    if (reply.warnings.length) showError(reply.warnings.join('\n'));
    if (reply.filter) modes.take(reply.filter);
    intake.reset(reply);
    if (reply.filter?.issueQueue) modes.focusFirstIssue();
    grid.scrollTo(ui.scrollTop);
    // The item may be in a later page: the host knows whether it still exists.
    if (ui.detail) void openDetail(ui.detail, true);
    else gridHost.focus();
    requestAnimationFrame(() =>
      messages.sendEvent({
        type: 'rendered',
        itemCount: reply.total,
        classCount: reply.dataset.classes.length,
        visibleTiles: gridHost.querySelectorAll('.tile:not([hidden])').length,
      }),
    );
  } catch (error) {
    showError(`Could not open the dataset: ${message(error)}`);
  }
}

/** The dataset's summary; its findings model colours the multi-label tiles and filters. */
function takeSummary(summary: DatasetSummary): void {
  dataset = summary;
  showFindingModel(summary.findingModel);
}

/** Applies changed items in place; the view is re-filtered only when items appear or disappear. */
function patchItems(changed: readonly GalleryItem[], removed: readonly string[]): void {
  const membershipChanged = store.patch(changed, removed);
  for (const item of changed) {
    const index = shown.indexOf(item.id);
    if (index !== undefined) {
      shown.replace(index, item);
      grid.refresh(index);
    }
  }
  if (membershipChanged) rebuildView();
  else showStatus();
  if (detail.shownId && (changed.some((item) => item.id === detail.shownId) || removed.includes(detail.shownId))) void openDetail(detail.shownId);
}

function setFilter(filter: FilterState): void {
  // Filtering on a finding picks it for the keys too.
  if (filter.finding !== ui.filter.finding && filter.finding !== undefined) ui.finding = filter.finding;
  ui.filter = filter;
  rebuildView();
  saveUi();
}

function rebuildView(): void {
  shown.rebuild(ui.filter, ui.issueQueue);
  grid.setItems(shown.items);
  showStatus();
}

function showStatus(): void {
  if (!dataset) return;
  const counts = store.facets();
  filterBar.update(ui.filter, dataset.classes, counts, dataset.findings ?? []);
  title.textContent = dataset.name;
  status.textContent = statusLine({
    shown: shown.length,
    received: store.size,
    loading: toolbar.showLoading(store.size, store.total, scan),
    selected: selection.selected.size,
    dataset,
    counts,
    editable,
    pending: edits.pending,
  });
  keysHint.textContent = dataset.findings
    ? findingKeysHint(activeFinding(ui.finding, ui.filter.finding, dataset))
    : dataset.classes.slice(0, 9).map((name, i) => `${i + 1} ${name}`).join(' · ');
  document.body.dataset.pending = String(edits.pending);
  const issues = counts.issues;
  queueButton.textContent = `Issue queue (${issues.toLocaleString('en-US')})`;
  queueButton.setAttribute('aria-pressed', String(ui.issueQueue));
  queueButton.style.fontWeight = ui.issueQueue ? '700' : '';
  modes.showBanners(selection.focus !== undefined ? (shown.indexOf(selection.focus) ?? -1) : -1);
}

const edits = new Edits({
  store,
  viewIds: () => shown.ids,
  selection: () => selection,
  select: (next) => {
    selection = next;
    const index = next.focus !== undefined ? shown.indexOf(next.focus) : undefined;
    if (index !== undefined) grid.reveal(index);
    selectionChanged();
  },
  patch: patchItems,
  editable: () => editable,
  showError,
  statusChanged: () => showStatus(),
  send: (body) => messages.sendRequest(body),
});

const modes = new GalleryModes({
  ui,
  edits,
  toolbar,
  shownIds: () => shown.ids,
  shownItems: () => shown.items,
  indexOf: (id) => shown.indexOf(id),
  item: (id) => store.get(id),
  selection: () => selection,
  focusIndex: (index, how) => focusIndex(index, how),
  setFilter,
  rebuild: () => {
    rebuildView();
    saveUi();
  },
  save: saveUi,
  showStatus,
  showError,
  request: (body, timeoutMs) => messages.sendRequest(body, timeoutMs),
  closeDetail: () => detail.shownId && closeDetail(),
});
const study = new StudyQueues({
  modes,
  listKind: () => ui.filter.list?.kind,
  indexOf: (id) => shown.indexOf(id),
  count: () => shown.length,
  selection: () => selection,
  focusIndex: (index, how) => focusIndex(index, how),
  focusGrid: () => gridHost.focus(),
  canEdit: () => edits.canEdit(),
  relabel: (label) => edits.relabel(label),
  findingsToDecide: (id) => findingsToDecide(store.get(id)),
  pickFinding: (finding) => {
    ui.finding = finding;
    saveUi();
    showStatus();
  },
  request: (body, timeoutMs) => messages.sendRequest(body, timeoutMs),
  showError,
});

/** The focused and selected items go to the host (the map lights them up), as they are at the next frame. */
let selectionFrame = 0;
function reportSelection(): void {
  selectionFrame ||= requestAnimationFrame(() => {
    selectionFrame = 0;
    const ids = new Set(selection.selected);
    if (selection.focus !== undefined) ids.add(selection.focus);
    messages.sendEvent({ type: 'selection', ids: [...ids].slice(0, MAX_IDS_PER_EDIT) });
  });
}

/** Tiles rendered without a thumbnail ask the host for one, in one message per frame. */
const wantThumbnail = batchPerFrame((ids) => messages.sendEvent({ type: 'thumbnails', ids }));

function showError(text: string): void {
  toolbar.showError(text);
}

const actions: GalleryActions = {
  edits,
  focused: () => (selection.focus !== undefined ? (shown.indexOf(selection.focus) ?? -1) : -1),
  count: () => shown.length,
  columns: () => grid.columns,
  rowsPerPage: () => grid.rowsPerPage,
  focusIndex,
  classes: () => dataset?.classes ?? [],
  activeFinding: () => activeFinding(ui.finding, ui.filter.finding, dataset),
  cycleFinding: (direction) => {
    ui.finding = cycleFinding(activeFinding(ui.finding, ui.filter.finding, dataset), dataset?.findings ?? [], direction);
    saveUi();
    showStatus();
  },
  openDetail: () => void openDetail(),
  closeDetail: () => {
    if (!detail.shownId) return false;
    closeDetail();
    return true;
  },
  setSelection: (all) => {
    selection = { ...selection, selected: new Set(all ? shown.ids : []) };
    selectionChanged();
  },
  toggleHelp: () => help.toggle(),
  focusSearch: () => filterBar.search.focus(),
  toggleIssueQueue: () => modes.setIssueQueue(!ui.issueQueue),
  review: (verdict) => modes.review(verdict),
  moreLikeThis: () => void modes.moreLikeThis(),
  leaveList: () => modes.leaveList(),
  studyQueue: (queue) => void study.open(queue),
  studyClassKey: (label) => study.classKey(label),
  studyFindingKey: (finding, state) => study.findingKey(finding, state),
  showError,
};

function focusIndex(index: number, how: 'plain' | 'extend' | 'toggle'): void {
  if (index < 0) return;
  selection = focusItem(selection, shown.ids, index, how);
  grid.reveal(index);
  selectionChanged();
  if (detail.shownId) void openDetail();
}

function selectionChanged(): void {
  grid.refreshAll();
  ui.focus = selection.focus;
  // In the issue queue, p, n and m act on the finding the focused issue is about.
  const focused = selection.focus === undefined ? undefined : store.get(selection.focus);
  if (ui.issueQueue) ui.finding = queueFinding(focused) ?? ui.finding;
  // In the adjudication queue, p, n and m decide the first finding the readers disagree on.
  else if (ui.filter.list?.kind === 'adjudicate') ui.finding = findingsToDecide(focused)[0] ?? ui.finding;
  ui.selected = selection.selected.size <= MAX_SAVED_SELECTION ? [...selection.selected] : [];
  saveUi();
  showStatus();
  reportSelection();
}

async function openDetail(id = selection.focus, restoring = false): Promise<void> {
  if (id === undefined) return;
  try {
    const reply = await messages.sendRequest({ type: 'detail', id });
    if (reply.type !== 'detail') throw new Error(`unexpected reply ${reply.type}`);
    detail.show(reply, store.get(id), ui.filter.list && listMatch(ui.filter.list, id));
    ui.detail = id;
    saveUi();
  } catch (error) {
    if (restoring) closeDetail();
    else showError(`Cannot open ${id}: ${message(error)}`);
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
