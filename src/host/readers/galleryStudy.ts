// One gallery's reading study: the study view kept up to date with the journal and `readers.json`, and the study's
// requests (the queues, the adjudicator's decision with its reason, asked for in an input box).
import * as vscode from 'vscode';
import type { DatasetItem, LabelJournal } from '../../dataset';
import type { AdjudicateRequest, DoneReply, ItemList, StudyQueueRequest } from '../../shared/protocol';
import type { GalleryEdits } from '../galleryEdits';
import { StudyView } from './studyView';

export class GalleryStudy {
  private view: StudyView | undefined;

  /** The view (inactive until the journal is open). */
  get current(): StudyView | undefined {
    return this.view;
  }

  /** Follows the journal: its entries after each change, `readers.json` when it changes (`changed`: send everything again). */
  follow(journal: LabelJournal, changed: () => void): () => void {
    this.view = new StudyView(journal.user);
    this.view.update(journal.readers, journal.entries);
    const stopEntries = journal.onDidChange(() => this.view!.update(journal.readers, journal.entries));
    const stopReaders = journal.onDidChangeReaders(() => {
      this.view!.update(journal.readers, journal.entries);
      changed();
    });
    return () => {
      stopEntries();
      stopReaders();
    };
  }

  blinded(id: string): boolean {
    return this.view?.blinded(id) ?? false;
  }

  queue(request: Pick<StudyQueueRequest, 'queue'>, items: readonly DatasetItem[]): ItemList {
    const view = this.requireView();
    return request.queue === 'read' ? view.readingQueue(items) : view.adjudicationQueue();
  }

  /** Records the decision; without a reason in the request the user is asked, with the readings' summary offered. */
  async adjudicate(request: AdjudicateRequest, edits: GalleryEdits): Promise<DoneReply> {
    const view = this.requireView();
    const { id, label, finding } = request;
    const offered = view.proposedReason(id, label, finding);
    const reason =
      request.reason ??
      (await vscode.window.showInputBox({
        title: finding === undefined ? `Adjudicate ${id} as ${label}` : `Adjudicate ${finding} of ${id} as ${label}`,
        prompt: 'The reason is journalled with the decision (Enter keeps the one offered, Escape cancels)',
        value: offered,
        ignoreFocusOut: true,
      }));
    if (reason === undefined) return { type: 'done', entries: 0 };
    return edits.adjudicate(id, label, reason.trim() || offered, finding);
  }

  private requireView(): StudyView {
    if (!this.view?.active) throw new Error('This dataset has no reading study: run X-Ray Curator: Set Up Reading Study first.');
    return this.view;
  }
}
