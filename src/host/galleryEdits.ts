// The gallery's edits as the host carries them out: each is checked against the dataset, recorded in the journal
// (with what the model showed when it was made) and run one after another in the order they arrived.
import { applyToFolders, classNameProblem } from '../dataset';
import type { DatasetItem, JournalEdit, PlannedMove } from '../dataset';
import type { DoneReply, FlagRequest, RelabelRequest, SetFindingRequest, UndoRequest } from '../shared/protocol';
import type { PredictionStore } from './galleryData';
import type { Loaded } from './galleryLoader';

export type EditRequest = RelabelRequest | FlagRequest | SetFindingRequest | UndoRequest;

export class GalleryEdits {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    /** The dataset edits go through; throws in Restricted Mode. */
    private readonly editable: () => Promise<Loaded>,
    private readonly predictions: PredictionStore,
    /** Blind reading withholds the model from this item: an edit records no prediction shown. */
    private readonly blinded: (id: string) => boolean = () => false,
  ) {}

  async handle(body: EditRequest): Promise<DoneReply> {
    switch (body.type) {
      case 'relabel': {
        if (body.label !== null) {
          const problem = classNameProblem(body.label);
          if (problem) throw new Error(problem);
        }
        const label = body.label;
        return this.edit(body.ids, (item) => ({ kind: 'relabel', item, value: label }));
      }
      case 'flag':
        return this.edit(body.ids, (item) => ({ kind: body.flagged ? 'flag' : 'unflag', item }));
      case 'setFinding': {
        const { finding, state } = body;
        await this.requireFinding(finding);
        return this.edit(body.ids, (item) => {
          if (!item.findings) throw new Error(`${item.id} has no row in the label file, so its findings cannot be set`);
          return { kind: 'finding', item, finding, value: state };
        });
      }
      case 'undo':
      case 'redo': {
        const { journal } = await this.editable();
        const entries = await this.serialized(() => (body.type === 'undo' ? journal.undo() : journal.redo()));
        return { type: 'done', entries: entries.length };
      }
    }
  }

  /**
   * Runs edits one after another in the order they arrived: a fast `2` then `u` must undo that relabel, not the
   * edit before it (the journal's undo stack only holds an edit once its write finished).
   */
  serialized<T>(edit: () => Promise<T>): Promise<T> {
    const run = this.chain.then(edit);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Undo Last Label Change: the same step as `u` in the gallery; returns how many journal entries it reversed. */
  async undo(): Promise<number> {
    const { journal } = await this.editable();
    return (await this.serialized(() => journal.undo())).length;
  }

  /** Apply Labels to Folders: moves the files through the journal, as one step that `undo` reverses. */
  async applyMoves(moves: readonly PlannedMove[]): Promise<number> {
    const { dataset, journal } = await this.editable();
    return (await this.serialized(() => applyToFolders(dataset, journal, moves))).length;
  }

  /** The adjudicator's decision on one item (or, with `finding`, one of its findings), with its reason (one undo step). */
  async adjudicate(id: string, label: string, reason: string, finding?: string): Promise<DoneReply> {
    if (finding !== undefined) {
      await this.requireFinding(finding);
      return this.edit([id], (item) => ({ kind: 'finding', item, finding, value: label, adjudication: { reason } }));
    }
    const problem = classNameProblem(label);
    if (problem) throw new Error(problem);
    const { dataset } = await this.editable();
    if (!dataset.classes.includes(label)) throw new Error(`${JSON.stringify(label)} is not a class of this dataset (${dataset.classes.join(', ')})`);
    return this.edit([id], (item) => ({ kind: 'relabel', item, value: label, adjudication: { reason } }));
  }

  private async requireFinding(finding: string): Promise<void> {
    const known = (await this.editable()).dataset.multiLabel?.findings ?? [];
    if (!known.includes(finding)) throw new Error(`${JSON.stringify(finding)} is not a finding of this dataset${known.length ? ` (${known.join(', ')})` : ': it has no multi-label file'}`);
  }

  /** Records one edit per item as one journal group (one undo step). */
  private async edit(ids: readonly string[], make: (item: DatasetItem) => JournalEdit): Promise<DoneReply> {
    const { journal, byId } = await this.editable();
    const edits = ids.map((id) => {
      const item = byId.get(id);
      if (!item) throw new Error(`no item ${JSON.stringify(id)} in this dataset`);
      const edit = make(item);
      const shown = this.blinded(id) ? undefined : this.predictions.shownFor(edit);
      return shown ? { ...edit, shown } : edit;
    });
    const entries = await this.serialized(() => journal.record(edits));
    return { type: 'done', entries: entries.length };
  }
}
