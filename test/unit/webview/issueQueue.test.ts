import * as assert from 'node:assert/strict';
import { applyFilter, DEFAULT_FILTER } from '../../../src/webview/gallery/filters';
import { nextToReview, queueBanner, queueFilter, queueFinding, queueOf, restoreVerdicts, verdictEdit, withVerdict } from '../../../src/webview/gallery/issueQueue';
import type { GalleryItem } from '../../../src/shared/protocol';

const item = (id: string, extra: Partial<GalleryItem> = {}): GalleryItem => ({ id, label: 'COVID', flagged: false, ...extra });

describe('gallery issue queue', () => {
  it('holds only items with a suggested label, most suspicious first, ties by name, within the filter', () => {
    const filter = queueFilter({ ...DEFAULT_FILTER, label: 'COVID', sort: 'name' });
    assert.equal(filter.label, 'COVID', 'the filter stays');
    const queue = queueOf(applyFilter([
      item('d', { issueScore: 0.95 }),
      item('c', { issueScore: 0.5, suggestedLabel: 'NORMAL' }),
      item('a', { issueScore: 0.9, suggestedLabel: 'NORMAL' }),
      item('b', { issueScore: 0.5, suggestedLabel: 'PNEUMONIA' }),
      item('e'),
      item('f', { label: 'NORMAL', issueScore: 0.99, suggestedLabel: 'COVID' }),
    ], filter));
    assert.deepEqual(queue.map((i) => i.id), ['a', 'b', 'c']);
  });

  it('moves on to the next item without a verdict, wrapping round, and stops when all have one', () => {
    const ids = ['a', 'b', 'c', 'd'];
    assert.equal(nextToReview(ids, {}), 'a');
    assert.equal(nextToReview(ids, { a: 'accepted' }, 'a'), 'b');
    assert.equal(nextToReview(ids, { b: 'kept', c: 'flagged' }, 'a'), 'd', 'skips reviewed items');
    assert.equal(nextToReview(ids, { d: 'kept', c: 'kept' }, 'd'), 'a', 'wraps round to an earlier unreviewed item');
    assert.equal(nextToReview(ids, { a: 'kept', b: 'kept', c: 'kept', d: 'kept' }, 'b'), undefined);
    assert.equal(nextToReview([], {}), undefined);
  });

  it('accept relabels to the suggestion, flag flags, keep writes nothing', () => {
    const issue = item('COVID/x.png', { suggestedLabel: 'NORMAL' });
    assert.deepEqual(verdictEdit(issue, 'accepted'), { type: 'relabel', ids: ['COVID/x.png'], label: 'NORMAL' });
    assert.deepEqual(verdictEdit(issue, 'flagged'), { type: 'flag', ids: ['COVID/x.png'], flagged: true });
    assert.equal(verdictEdit(issue, 'kept'), undefined);
    assert.equal(verdictEdit({ ...issue, label: 'NORMAL' }, 'accepted'), undefined, 'already relabelled: no second journal line');
    assert.equal(verdictEdit({ ...issue, flagged: true }, 'flagged'), undefined, 'already flagged: not unflagged');
    assert.equal(withVerdict(issue, 'accepted').label, 'NORMAL');
    assert.equal(withVerdict(issue, 'flagged').flagged, true);
    assert.deepEqual(withVerdict(issue, 'kept'), issue);
  });

  it('on a multi-label item, accept sets the suggested finding state, and the banner names the finding', () => {
    const findings = { positive: ['Mass'], uncertain: ['Edema'] };
    const wrong = item('images/1.png', { label: null, findings, suggestedFinding: { finding: 'Effusion', state: 'positive' } });
    const resolve = item('images/2.png', { label: null, findings, suggestedFinding: { finding: 'Edema', state: 'negative', toResolve: true } });
    assert.deepEqual(queueOf([item('images/0.png', { label: null, findings, issueScore: 0.9 }), wrong, resolve]).map((i) => i.id), ['images/1.png', 'images/2.png']);
    assert.deepEqual(verdictEdit(wrong, 'accepted'), { type: 'setFinding', ids: ['images/1.png'], finding: 'Effusion', state: 'positive' });
    assert.deepEqual(verdictEdit(resolve, 'accepted'), { type: 'setFinding', ids: ['images/2.png'], finding: 'Edema', state: 'negative' });
    assert.equal(verdictEdit(wrong, 'kept'), undefined);
    assert.equal(queueFinding(wrong), 'Effusion', 'the keys act on the issue\'s finding');
    assert.equal(queueFinding(item('COVID/x.png', { suggestedLabel: 'NORMAL' })), undefined);
    const accepted = withVerdict(wrong, 'accepted');
    assert.deepEqual(accepted.findings, { positive: ['Mass', 'Effusion'], uncertain: ['Edema'] });
    assert.equal(verdictEdit(accepted, 'accepted'), undefined, 'already set: no second journal line');
    assert.deepEqual(withVerdict(resolve, 'accepted').findings, { positive: ['Mass'], uncertain: [] });
    const ids = [wrong.id, resolve.id];
    assert.match(queueBanner(ids, wrong, 0, {}), /^Issue 1 of 2 · Effusion: given negative → suggested positive · 0 of 2 reviewed/);
    assert.match(queueBanner(ids, resolve, 1, {}), /^Issue 2 of 2 · Edema: uncertain, to resolve → suggested negative ·/);
    assert.match(queueBanner(ids, accepted, 0, { [wrong.id]: 'accepted' }), /Effusion: now positive \(the suggestion\) · accepted/);
  });

  it('says where the review is, what is given and suggested, and the keys', () => {
    const ids = ['a', 'b', 'c'];
    const b = item('b', { suggestedLabel: 'NORMAL' });
    assert.equal(queueBanner(ids, b, 1, { a: 'kept' }), 'Issue 2 of 3 · given COVID → suggested NORMAL · 1 of 3 reviewed · a accept · s keep · f flag · i leave the queue');
    assert.match(queueBanner(ids, { ...b, label: 'NORMAL' }, 1, { b: 'accepted' }), /^Issue 2 of 3 · now NORMAL \(the suggestion\) · accepted · 1 of 3 reviewed/);
    const why = 'the model is weak here: 9 of the 10 most similar images are COVID too';
    assert.match(queueBanner(ids, { ...b, issueReason: why }, 1, {}), /^Issue 2 of 3 · given COVID → suggested NORMAL \(the model is weak here: 9 of the 10 most similar images are COVID too\) · 0 of 3/);
    assert.match(queueBanner(ids, undefined, -1, {}), /^Issue queue · 0 of 3 reviewed · a accept/);
    assert.match(queueBanner([], undefined, -1, {}), /no label issues here/);
  });

  it('restores verdicts from saved state, dropping malformed ones', () => {
    assert.deepEqual(restoreVerdicts({ a: 'accepted', b: 'kept', c: 'flagged', d: 'maybe', e: 3 }), { a: 'accepted', b: 'kept', c: 'flagged' });
    assert.deepEqual(restoreVerdicts(null), {});
    assert.deepEqual(restoreVerdicts('a'), {});
  });
});
