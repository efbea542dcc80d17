// The reading study's two queues in the gallery: `r` shows the images waiting for this reader (1…9 is their
// reading, as anywhere), `d` the readers' disagreements, where 1…9 is the adjudicator's decision. The host asks for
// the reason, journals the decision, and sends the item back with it; then the focus moves on.
import type { FindingLabel, FromWebviewBody, ReadingQueueKind, ToWebviewBody } from '../../../shared/protocol';
import type { GalleryModes } from '../modes';
import type { SelectionState } from '../keyboard';

export interface StudyQueueHost {
  readonly modes: GalleryModes;
  /** The list shown now, if any. */
  listKind(): string | undefined;
  /** An item's place among those shown, and how many are shown. */
  indexOf(id: string): number | undefined;
  count(): number;
  selection(): SelectionState;
  focusIndex(index: number, how: 'plain'): void;
  /** Gives the keys back to the grid (the reason box took them). */
  focusGrid(): void;
  canEdit(): boolean;
  /** The findings of an image its readers disagree on, undecided (multi-label). */
  findingsToDecide(id: string): string[];
  /** Makes `finding` the one p, n and m act on. */
  pickFinding(finding: string): void;
  /** This reader's reading of the focused (and selected) images. */
  relabel(label: string): void;
  request(body: FromWebviewBody, timeoutMs?: number): Promise<ToWebviewBody>;
  showError(text: string): void;
}

/** The reason box waits for a person: no timeout worth the name. */
const REASON_TIMEOUT_MS = 60 * 60_000;

export class StudyQueues {
  constructor(private readonly g: StudyQueueHost) {}

  /**
   * 1…9 in a queue: in the reading queue this reader's reading, and the focus moves on; in the adjudication queue the
   * decision. False outside the queues (the key is an ordinary relabel).
   */
  classKey(label: string): boolean {
    switch (this.g.listKind()) {
      case 'adjudicate':
        void this.decide(label);
        return true;
      case 'read': {
        const id = this.g.selection().focus;
        this.g.relabel(label);
        if (this.g.canEdit()) this.moveOn(id);
        return true;
      }
      default:
        return false;
    }
  }

  /** p, n, m in the adjudication queue: the decision on `finding` of the focused image. */
  findingKey(finding: string, state: FindingLabel): boolean {
    if (this.g.listKind() !== 'adjudicate') return false;
    void this.decide(state, finding);
    return true;
  }

  async open(queue: ReadingQueueKind): Promise<void> {
    try {
      const reply = await this.g.request({ type: 'studyQueue', queue });
      if (reply.type !== 'list') throw new Error(`unexpected reply ${reply.type}`);
      this.g.modes.showList(reply.list, true);
    } catch (error) {
      this.g.showError(`${queue === 'read' ? 'Reading queue' : 'Adjudication queue'}: ${messageOf(error)}`);
    }
  }

  /**
   * The adjudicator decides `label` for the focused image (with `finding`: that finding's state); once it is
   * journalled the focus moves on, unless other findings of the image are still to decide.
   */
  async decide(label: string, finding?: string): Promise<void> {
    const id = this.g.selection().focus;
    if (id === undefined || !this.g.canEdit()) return;
    try {
      const reply = await this.g.request({ type: 'adjudicate', id, label, ...(finding !== undefined ? { finding } : {}) }, REASON_TIMEOUT_MS);
      if (reply.type !== 'done') throw new Error(`unexpected reply ${reply.type}`);
      const others = finding === undefined ? [] : this.g.findingsToDecide(id).filter((f) => f !== finding);
      if (reply.entries > 0 && others.length === 0) this.moveOn(id);
      else if (reply.entries > 0) this.g.pickFinding(others[0]);
    } catch (error) {
      this.g.showError(`Not decided: ${messageOf(error)}`);
    } finally {
      this.g.focusGrid();
    }
  }

  private moveOn(id: string | undefined): void {
    const at = id === undefined ? undefined : this.g.indexOf(id);
    if (at !== undefined && at + 1 < this.g.count()) this.g.focusIndex(at + 1, 'plain');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
