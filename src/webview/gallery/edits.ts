// Edits from the gallery: shown on their tiles at once (within the keypress's frame), then sent to the host, which
// answers once they are in the journal; a refused edit is rolled back and the banner says why.
import type { FindingLabel, FromWebviewBody, GalleryItem } from '../../shared/protocol';
import { withFinding } from './findings/findingFilter';
import type { ItemStore } from './itemStore';
import { afterEdit, editTargets } from './keyboard';
import type { SelectionState } from './keyboard';

/** What edits need from the gallery page. */
export interface EditContext {
  store: ItemStore;
  /** The ids shown, in order. */
  viewIds(): readonly string[];
  selection(): SelectionState;
  /** Moves the selection (and the focus into view). */
  select(next: SelectionState): void;
  /** Shows changed items on their tiles. */
  patch(items: readonly GalleryItem[], removed: readonly string[]): void;
  editable(): boolean;
  showError(text: string): void;
  /** The number of edits waiting for the host changed. */
  statusChanged(): void;
  send(body: FromWebviewBody): Promise<unknown>;
}

export class Edits {
  /** Edits sent and not answered yet ("saving…"). */
  pending = 0;

  constructor(private readonly ctx: EditContext) {}

  relabel(label: string | null): void {
    const targets = editTargets(this.ctx.selection(), this.ctx.viewIds());
    if (targets.length) void this.optimistic(targets, (item) => ({ ...item, label }), { type: 'relabel', ids: targets, label });
  }

  /**
   * Sets one finding of the selection (or the focused item), then the focus moves on; of `ids` (the detail view's
   * item), the focus stays. Items without findings are left alone.
   */
  setFinding(finding: string, state: FindingLabel, ids?: readonly string[]): void {
    const targets = (ids ?? editTargets(this.ctx.selection(), this.ctx.viewIds())).filter((id) => this.ctx.store.get(id)?.findings);
    if (targets.length) void this.optimistic(targets, (item) => withFinding(item, finding, state), { type: 'setFinding', ids: targets, finding, state }, ids ? this.ctx.selection() : undefined);
  }

  toggleFlag(): void {
    const targets = editTargets(this.ctx.selection(), this.ctx.viewIds());
    if (!targets.length) return;
    const flagged = targets.some((id) => !this.ctx.store.get(id)?.flagged);
    void this.optimistic(targets, (item) => ({ ...item, flagged }), { type: 'flag', ids: targets, flagged });
  }

  /**
   * Shows an edit on its tiles synchronously, moves the focus on (to `after`, by default the item after the targets),
   * then asks the host; if the host refuses (read-only folder, Restricted Mode) the tiles go back. Resolves with
   * whether the host saved it.
   */
  optimistic(targets: readonly string[], change: (item: GalleryItem) => GalleryItem, body: FromWebviewBody, after?: SelectionState): Promise<boolean> {
    if (!this.canEdit()) return Promise.resolve(false);
    const next = after ?? afterEdit(this.ctx.selection(), this.ctx.viewIds(), targets);
    const before = targets.map((id) => this.ctx.store.get(id)).filter((item): item is GalleryItem => item !== undefined);
    this.ctx.patch(before.map(change), []);
    this.ctx.select(next);
    return this.request(body).then((ok) => {
      if (!ok) this.ctx.patch(before, []);
      return ok;
    });
  }

  /** In Restricted Mode nothing is edited, not even for a moment on the tile; the banner says why. */
  canEdit(): boolean {
    const editable = this.ctx.editable();
    if (!editable) this.ctx.showError('Restricted Mode: labels cannot be changed until you trust this folder (Manage Workspace Trust).');
    return editable;
  }

  /** Sends an edit request; returns false (and shows why) when the host refused it. */
  async request(body: FromWebviewBody): Promise<boolean> {
    this.pending++;
    this.ctx.statusChanged();
    try {
      await this.ctx.send(body);
      return true;
    } catch (error) {
      this.ctx.showError(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      this.pending--;
      this.ctx.statusChanged();
    }
  }
}
