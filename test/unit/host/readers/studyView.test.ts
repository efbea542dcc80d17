import * as assert from 'node:assert/strict';
import { LabelJournal, openDataset, readJournal } from '../../../../src/dataset';
import type { DatasetItem, JournalEntry } from '../../../../src/dataset';
import { consensusState } from '../../../../src/dataset/readers';
import type { ReadersConfig } from '../../../../src/dataset/readers';
import { StudyView } from '../../../../src/host/readers/studyView';
import type { DetailReply, GalleryItem } from '../../../../src/shared/protocol';
import { makeClassFolders, makeTempDir, removeTempDirs } from '../../dataset/fixtures';

const blindMajority: ReadersConfig = { rule: { kind: 'majority' }, study: { blind: true, readersPerItem: 2, adjudicator: 'dr' } };

/** What the host would send of an item without a study: label, prediction, note, scores. */
function galleryItem(item: DatasetItem): GalleryItem {
  return { id: item.id, label: item.label, flagged: true, note: 'looks like COVID', thumb: `t/${item.id}.webp`, prediction: { predicted: 'COVID', confidence: 0.9, margin: 0.8, changed: false }, issueScore: 0.7, split: 'train' } as GalleryItem;
}

const detail = (id: string): DetailReply => ({
  type: 'detail',
  id,
  metadata: {},
  probabilities: [{ label: 'COVID', probability: 0.9 }],
  history: [
    { time: 't1', user: 'ann', kind: 'relabel', old: null, new: 'COVID' },
    { time: 't2', user: 'bob', kind: 'relabel', old: null, new: 'NORMAL' },
  ],
  saliencyAvailable: true,
});

describe('the reading study as one window sees it', () => {
  after(removeTempDirs);

  async function threeReaders(): Promise<{ root: string; items: DatasetItem[] }> {
    const root = await makeTempDir('xray-studyview-');
    await makeClassFolders(root, { COVID: 3, NORMAL: 3 });
    const { items } = await openDataset(root);
    const [c0, c1, c2, n0] = ['COVID/img0.png', 'COVID/img1.png', 'COVID/img2.png', 'NORMAL/img0.png'].map((id) => items.find((item) => item.id === id)!);
    const ann = await LabelJournal.open(root, { user: 'ann' });
    const bob = await LabelJournal.open(root, { user: 'bob' });
    await ann.relabel(c0, 'COVID');
    await bob.relabel(c0, 'NORMAL'); // a disagreement: majority leaves the tie open
    await ann.relabel(c1, 'COVID');
    await bob.relabel(c1, 'COVID'); // agreed
    await ann.relabel(c2, 'NORMAL'); // one reading: waits for a second reader
    await ann.relabel(n0, 'NORMAL');
    return { root, items };
  }

  it("blind reading withholds everything but the image from an item this reader has not read, and nothing after", async () => {
    const { root, items } = await threeReaders();
    const { entries } = await readJournal(root);
    const cy = new StudyView('cy');
    cy.update(blindMajority, entries);
    const c0 = items.find((item) => item.id === 'COVID/img0.png')!;
    assert.equal(cy.blinded(c0.id), true);
    assert.deepEqual(cy.shown(galleryItem(c0)), { id: c0.id, label: null, flagged: false, thumb: `t/${c0.id}.webp`, reading: { readers: {}, blinded: true } });
    const c2 = items.find((item) => item.id === 'COVID/img2.png')!;
    assert.deepEqual(cy.shown(galleryItem(c2)).reading, { readers: {}, toRead: true, blinded: true });
    const hidden = cy.shownDetail(detail(c0.id));
    assert.deepEqual([hidden.probabilities, hidden.history, hidden.saliencyAvailable], [[], [], false]);

    // Ann has read c0: she sees it all, with both readings and the disagreement.
    const ann = new StudyView('ann');
    ann.update(blindMajority, entries);
    const seen = ann.shown(galleryItem(c0));
    assert.equal(seen.prediction?.predicted, 'COVID');
    assert.deepEqual(seen.reading, { readers: { ann: 'COVID', bob: 'NORMAL' }, disagree: true });
    assert.equal(ann.shownDetail(detail(c0.id)).history.length, 2);
    // The adjudicator is never blinded.
    const dr = new StudyView('dr');
    dr.update(blindMajority, entries);
    assert.equal(dr.blinded(c0.id), false);
    // Without blinding nobody is blinded; without a study nothing changes.
    const open = new StudyView('cy');
    open.update({ ...blindMajority, study: { blind: false } }, entries);
    assert.equal(open.shown(galleryItem(c0)).label, 'COVID');
    const none = new StudyView('cy');
    none.update(null, entries);
    assert.deepEqual(none.shown(galleryItem(c0)), galleryItem(c0));
  });

  it('the reading queue holds the images that still lack k readings and are not mine; the summary counts it', async () => {
    const { root, items } = await threeReaders();
    const { entries } = await readJournal(root);
    const cy = new StudyView('cy');
    cy.update(blindMajority, entries);
    const queue = cy.readingQueue(items);
    // k = 2: c0 and c1 have two readings; the other four have at most one.
    assert.deepEqual([...queue.ids].sort(), ['COVID/img2.png', 'NORMAL/img0.png', 'NORMAL/img1.png', 'NORMAL/img2.png']);
    assert.equal(queue.kind, 'read');
    assert.match(queue.title, /4 image\(s\) waiting for cy \(blind reading\)/);
    const ann = new StudyView('ann');
    ann.update(blindMajority, entries);
    assert.deepEqual([...ann.readingQueue(items).ids].sort(), ['NORMAL/img1.png', 'NORMAL/img2.png']);
    assert.deepEqual(cy.summary(items), { reader: 'cy', blind: true, rule: 'majority', readersPerItem: 2, adjudicator: 'dr', toRead: 4, toAdjudicate: 1 });
  });

  it('the adjudication queue is the open disagreements; only the adjudicator opens it; a decision takes the item out', async () => {
    const { root, items } = await threeReaders();
    const dr = new StudyView('dr');
    dr.update(blindMajority, (await readJournal(root)).entries);
    assert.deepEqual(dr.adjudicationQueue().ids, ['COVID/img0.png']);
    assert.match(dr.adjudicationQueue().title, /1 image\(s\) the readers disagree on \(1 left unsettled by majority\)/);
    assert.equal(dr.proposedReason('COVID/img0.png', 'NORMAL'), 'sides with bob; majority left it unsettled (tie: COVID 1, NORMAL 1)');
    assert.equal(dr.proposedReason('COVID/img2.png', 'COVID'), 'none of the readers; majority gave NORMAL');
    assert.throws(() => dr.proposedReason('NORMAL/img1.png', 'COVID'), /NORMAL\/img1.png has no readings to adjudicate/);
    const bob = new StudyView('bob');
    bob.update(blindMajority, (await readJournal(root)).entries);
    assert.throws(() => bob.adjudicationQueue(), /dr adjudicates this study; this window reads as bob/);

    const journal = await LabelJournal.open(root, { user: 'dr' });
    const c0 = items.find((item) => item.id === 'COVID/img0.png')!;
    await journal.record([{ kind: 'relabel', item: c0, value: 'NORMAL', adjudication: { reason: 'sides with bob' } }]);
    dr.update(blindMajority, (await readJournal(root)).entries);
    assert.deepEqual(dr.adjudicationQueue().ids, []);
    assert.deepEqual(dr.shown(galleryItem(c0)).reading, { readers: { ann: 'COVID', bob: 'NORMAL' }, decision: { label: 'NORMAL', by: 'dr', reason: 'sides with bob' } });
    assert.equal(dr.summary(items)!.toAdjudicate, 0);
  });

  it('without an adjudicator anyone who has read the image may adjudicate; a blinded one is refused', async () => {
    const { root } = await threeReaders();
    const config: ReadersConfig = { rule: { kind: 'unanimous' }, study: { blind: true } };
    const entries = (await readJournal(root)).entries;
    const ann = new StudyView('ann');
    ann.update(config, entries);
    assert.deepEqual(ann.adjudicationQueue().ids, ['COVID/img0.png']);
    const cy = new StudyView('cy');
    cy.update(config, entries);
    assert.deepEqual(cy.adjudicationQueue().ids, []);
    assert.throws(() => cy.proposedReason('COVID/img0.png', 'COVID'), /read it first \(blind reading\)/);
  });

  it('multi-label: the findings the readers disagree on, the queue, a decision per finding, and the consensus it settles', () => {
    let n = 0;
    const finding = (user: string, item: string, name: string, state: string, reason?: string): JournalEntry => ({
      version: 3, id: `e${++n}`, group: `g${n}`, time: `2026-12-03T00:00:0${n}Z`, user, kind: 'finding', item, hash: null, old: null, new: state, finding: name,
      ...(reason ? { adjudication: { reason } } : {}),
    });
    const entries = [
      finding('ann', 'images/a.png', 'Pneumonia', 'positive'),
      finding('ann', 'images/a.png', 'Edema', 'negative'),
      finding('bob', 'images/a.png', 'Pneumonia', 'negative'),
      finding('bob', 'images/a.png', 'Edema', 'negative'),
      finding('ann', 'images/b.png', 'Edema', 'positive'),
      finding('bob', 'images/b.png', 'Edema', 'positive'),
    ];
    const config: ReadersConfig = { rule: { kind: 'majority' }, study: { blind: false, adjudicator: 'dr' } };
    const dr = new StudyView('dr');
    dr.update(config, entries);
    const item = (id: string): GalleryItem => ({ id, label: null, flagged: false, findings: { positive: [], uncertain: [] } }) as unknown as GalleryItem;
    assert.deepEqual(dr.shown(item('images/a.png')).reading, {
      readers: { ann: 'Pneumonia', bob: 'no finding' },
      findingReadings: { Pneumonia: { ann: 'positive', bob: 'negative' } },
      disagree: true,
    });
    assert.deepEqual(dr.shown(item('images/b.png')).reading, { readers: { ann: 'Edema', bob: 'Edema' } });
    const queue = dr.adjudicationQueue();
    assert.deepEqual(queue.ids, ['images/a.png']);
    assert.match(queue.title, /1 image\(s\) the readers disagree on \(1 left unsettled by majority\)/);
    assert.equal(dr.proposedReason('images/a.png', 'negative', 'Pneumonia'), 'sides with bob; majority left it unsettled (tie: negative 1, positive 1)');
    assert.throws(() => dr.proposedReason('images/b.png', 'negative', 'Pneumonia'), /no readings of Pneumonia to adjudicate/);

    const decided = [...entries, finding('dr', 'images/a.png', 'Pneumonia', 'negative', 'no consolidation')];
    dr.update(config, decided);
    assert.deepEqual(dr.adjudicationQueue().ids, []);
    assert.deepEqual(dr.shown(item('images/a.png')).reading, {
      readers: { ann: 'Pneumonia', bob: 'no finding' },
      findingDecisions: { Pneumonia: { label: 'negative', by: 'dr', reason: 'no consolidation' } },
    });
    // The decision is nobody's reading, and it settles the finding the majority left open.
    const { state, unsettled } = consensusState({ overrides: new Map(), moves: new Map() }, decided, config.rule);
    assert.deepEqual(state.overrides.get('images/a.png')?.findings, { Pneumonia: 'negative', Edema: 'negative' });
    assert.deepEqual(unsettled, []);
  });
});
