// The gallery's two ways of walking a chosen set of images: the label-issue queue (the audit's suggestions, judged
// by key) and a list the host picked (more like this, the map's selection, what to label next). Both are UI state
// (`UiState.issueQueue`, `FilterState.list`); what they write goes through the ordinary edits.
import type { FromWebviewBody, GalleryFilterRequest, GalleryItem, ItemList, RegionBox, ToWebviewBody } from '../../shared/protocol';
import type { Edits } from './edits';
import { filterFromRequest } from './filters';
import type { FilterState } from './filters';
import { listBanner } from './itemList';
import { nextToReview, queueBanner, queueFilter, verdictEdit, withVerdict } from './issueQueue';
import type { Verdict } from './issueQueue';
import type { SelectionState } from './keyboard';
import type { Toolbar } from './toolbar';
import type { UiState } from './uiState';

/** How many images "more like this" shows besides the one asked about. */
export const SIMILAR_COUNT = 24;
/** The first "more like this" builds the index: at 400,000 embeddings, most of a minute. */
const SIMILAR_TIMEOUT_MS = 10 * 60_000;
/** The first region search of a big dataset reads every image's map (the host shows its progress, with cancel). */
const REGION_TIMEOUT_MS = 60 * 60_000;

/** What the modes need of the gallery. */
export interface ModeHost {
  readonly ui: UiState;
  readonly edits: Edits;
  readonly toolbar: Toolbar;
  /** The ids shown, in order, and an item's place among them. */
  shownIds(): readonly string[];
  shownItems(): readonly GalleryItem[];
  indexOf(id: string): number | undefined;
  item(id: string): GalleryItem | undefined;
  selection(): SelectionState;
  focusIndex(index: number, how: 'plain'): void;
  setFilter(filter: FilterState): void;
  /** Filters and sorts again, then saves the UI state. */
  rebuild(): void;
  save(): void;
  showStatus(): void;
  showError(text: string): void;
  request(body: FromWebviewBody, timeoutMs?: number): Promise<ToWebviewBody>;
  /** Closes the detail view if it is open. */
  closeDetail(): void;
}

export class GalleryModes {
  constructor(private readonly g: ModeHost) {}

  /** A filter asked for from outside (a command, the side bar): exactly that, in or out of the issue queue. */
  take(request: GalleryFilterRequest): void {
    const { ui } = this.g;
    ui.issueQueue = request.issueQueue === true;
    ui.filter = ui.issueQueue ? queueFilter(filterFromRequest(request)) : filterFromRequest(request);
  }

  showRequested(request: GalleryFilterRequest): void {
    this.take(request);
    this.g.rebuild();
    if (this.g.ui.issueQueue) this.focusFirstIssue();
    else if (request.list) this.g.focusIndex(0, 'plain');
  }

  setIssueQueue(on: boolean): void {
    const { ui } = this.g;
    ui.issueQueue = on;
    if (on) ui.filter = queueFilter(ui.filter);
    this.g.rebuild();
    if (on) this.focusFirstIssue();
  }

  focusFirstIssue(): void {
    const ids = this.g.shownIds();
    const first = nextToReview(ids, this.g.ui.verdicts) ?? ids[0];
    if (first !== undefined) this.g.focusIndex(this.g.indexOf(first)!, 'plain');
  }

  /**
   * A verdict on the focused issue: accept relabels it to the suggestion, flag flags it, keep writes nothing; the
   * focus moves to the next issue without a verdict. A refused edit takes its verdict back.
   */
  review(verdict: Verdict): void {
    const { ui, edits } = this.g;
    const id = this.g.selection().focus;
    const item = id !== undefined && this.g.indexOf(id) !== undefined ? this.g.item(id) : undefined;
    if (!item || (verdict !== 'kept' && !edits.canEdit())) return;
    ui.verdicts = { ...ui.verdicts, [item.id]: verdict };
    const next = nextToReview(this.g.shownIds(), ui.verdicts, item.id) ?? item.id;
    const edit = verdictEdit(item, verdict);
    if (!edit) return this.g.focusIndex(this.g.indexOf(next)!, 'plain');
    void edits.optimistic([item.id], (it) => withVerdict(it, verdict), edit, { focus: next, anchor: next, selected: new Set() }).then((ok) => {
      if (ok) return;
      const verdicts = { ...ui.verdicts };
      delete verdicts[item.id];
      ui.verdicts = verdicts;
      this.g.save();
      this.g.showStatus();
    });
  }

  /** "More like this": the item and the images nearest to it by embedding, as a list. */
  async moreLikeThis(id = this.g.selection().focus): Promise<void> {
    if (id !== undefined) await this.askForList(`Finding the images most like ${id}…`, `More like ${id}`, { type: 'similar', id, k: SIMILAR_COUNT }, SIMILAR_TIMEOUT_MS);
  }

  /** "Find this region": the item and the images holding something most like `box` on it, as a list. */
  findRegion(id: string, box: RegionBox): Promise<void> {
    return this.askForList(`Finding the images with a region like the box on ${id}…`, `Region of ${id}`, { type: 'similarRegion', id, box, k: SIMILAR_COUNT }, REGION_TIMEOUT_MS);
  }

  /** Asks the host for a list (the banner says `waiting` meanwhile) and shows it over the grid; `what` heads an error. */
  private async askForList(waiting: string, what: string, body: FromWebviewBody, timeoutMs: number): Promise<void> {
    const { listBar, listText } = this.g.toolbar;
    try {
      listText.textContent = waiting;
      listBar.style.display = '';
      const reply = await this.g.request(body, timeoutMs);
      if (reply.type !== 'list') throw new Error(`unexpected reply ${reply.type}`);
      this.g.closeDetail();
      this.showList(reply.list, true);
    } catch (error) {
      this.g.showStatus();
      this.g.showError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Shows a list the host picked: `fresh` replaces the filters and focuses its first item; else (ranked again) the focus stays if it can. */
  showList(list: ItemList, fresh: boolean): void {
    const { ui } = this.g;
    ui.issueQueue = false;
    ui.filter = fresh ? filterFromRequest({ list }) : { ...ui.filter, list };
    this.g.rebuild();
    const focus = this.g.selection().focus;
    if (fresh || focus === undefined || this.g.indexOf(focus) === undefined) this.g.focusIndex(0, 'plain');
  }

  leaveList(): void {
    const { ui } = this.g;
    if (!ui.filter.list) return;
    this.g.setFilter({ ...ui.filter, list: undefined });
    const focus = this.g.selection().focus;
    const index = focus === undefined ? undefined : this.g.indexOf(focus);
    if (index !== undefined) this.g.focusIndex(index, 'plain');
  }

  /** The issue-queue and list lines for the focused item at `index` of the view (-1: none). */
  showBanners(index: number): void {
    const { ui, toolbar } = this.g;
    const items = this.g.shownItems();
    toolbar.queueBar.style.display = ui.issueQueue ? '' : 'none';
    if (ui.issueQueue) toolbar.queueBar.textContent = queueBanner(this.g.shownIds(), items[index], index, ui.verdicts);
    toolbar.listBar.style.display = ui.filter.list ? '' : 'none';
    if (ui.filter.list) toolbar.listText.textContent = listBanner(ui.filter.list, items, items[index]);
  }
}
