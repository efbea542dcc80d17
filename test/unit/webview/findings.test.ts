import * as assert from 'node:assert/strict';
import type { FindingModel, GalleryItem } from '../../../src/shared/protocol';
import { FacetTally } from '../../../src/webview/gallery/facets';
import { applyFilter, DEFAULT_FILTER, restoreFilter } from '../../../src/webview/gallery/filters';
import type { FilterState } from '../../../src/webview/gallery/filters';
import { activeFinding, cycleFinding } from '../../../src/webview/gallery/findings/activeFinding';
import { showFindingModel, withFinding } from '../../../src/webview/gallery/findings/findingFilter';
import { findingsAgree, markOf, markText, tileMarks } from '../../../src/webview/gallery/findings/findingMarks';

const model: FindingModel = { model: 'v2', findings: ['Effusion', 'Pneumonia', 'Mass'], thresholds: [0.5, 0.3, null] };

function item(id: string, positive: string[], uncertain: string[], probs?: number[]): GalleryItem {
  return { id, label: null, flagged: false, findings: { positive, uncertain }, ...(probs ? { findingProbs: probs } : {}) };
}

const items: GalleryItem[] = [
  // Pneumonia labelled, model 0.1 (< 0.3): disagrees; Effusion 0.2 not labelled: agrees.
  item('a.png', ['Pneumonia'], [], [0.2, 0.1, 0.9]),
  // Pneumonia not labelled, model 0.6: disagrees (the model calls it); Effusion labelled and 0.7: agrees.
  item('b.png', ['Effusion'], [], [0.7, 0.6, 0.1]),
  // Pneumonia labelled and 0.8: agrees; Effusion uncertain: to resolve.
  item('c.png', ['Pneumonia'], ['Effusion'], [0.4, 0.8, 0.2]),
  // Not scored by the model.
  item('d.png', ['Pneumonia'], []),
];

const ids = (filter: Partial<FilterState>): string[] => applyFilter(items, { ...DEFAULT_FILTER, ...filter }).map((i) => i.id);

describe('gallery: multi-label findings against the findings model', () => {
  before(() => showFindingModel(model));
  after(() => showFindingModel(undefined));

  it('calls a finding agreeing or disagreeing at its own threshold, and an uncertain label "to resolve"', () => {
    assert.deepEqual(markOf(items[0], 'Pneumonia', model), { finding: 'Pneumonia', label: 'positive', probability: 0.1, called: false, agreement: 'disagree' });
    assert.equal(markOf(items[1], 'Pneumonia', model).agreement, 'disagree', 'the model calls a finding the label does not list');
    assert.equal(markOf(items[1], 'Effusion', model).agreement, 'agree');
    assert.equal(markOf(items[2], 'Effusion', model).agreement, 'resolve');
    assert.equal(markOf(items[0], 'Mass', model).agreement, undefined, 'no threshold: no verdict');
    assert.equal(markOf(items[3], 'Pneumonia', model).probability, undefined);
    assert.equal(markOf(items[0], 'Nodule', model).probability, undefined, 'a finding the model did not train');
  });

  it('shows on a tile the labelled findings and those the model calls, disagreements first, with glyph and percent', () => {
    assert.deepEqual(tileMarks(items[1], model).map(markText), ['✗ Pneumonia (model) 60%', '✓ Effusion 70%']);
    assert.deepEqual(tileMarks(items[2], model).map(markText), ['? Effusion? 40%', '✓ Pneumonia 80%']);
    assert.deepEqual(tileMarks(items[3], model).map(markText), ['Pneumonia']);
  });

  it('colours the tile red when any finding disagrees, green when every scored one agrees, none without a model', () => {
    assert.deepEqual(items.map((i) => findingsAgree(i, model)), [false, false, true, undefined]);
    assert.equal(findingsAgree(items[0], undefined), undefined);
    const tally = new FacetTally(items);
    assert.equal(tally.counts.misclassified, 2);
    assert.equal(tally.counts.correct, 1);
    assert.equal(tally.counts.positiveFindings.get('Pneumonia'), 3);
  });

  it('filters one finding by label, by agreement and by probability range, and sorts by its probability', () => {
    assert.deepEqual(ids({ finding: 'Pneumonia', findingState: 'disagreeing' }), ['a.png', 'b.png']);
    assert.deepEqual(ids({ finding: 'Pneumonia', findingState: 'agreeing' }), ['c.png']);
    assert.deepEqual(ids({ finding: 'Pneumonia', findingState: 'positive' }), ['a.png', 'c.png', 'd.png']);
    assert.deepEqual(ids({ finding: 'Effusion', findingState: 'uncertain' }), ['c.png']);
    assert.deepEqual(ids({ finding: 'Effusion', findingState: 'negative' }), ['a.png', 'd.png']);
    assert.deepEqual(ids({ finding: 'Pneumonia', findingMin: 0.5 }), ['b.png', 'c.png'], 'a range hides unscored items');
    assert.deepEqual(ids({ finding: 'Pneumonia', sort: 'finding', descending: true }), ['c.png', 'b.png', 'a.png', 'd.png'], 'unscored last');
    assert.deepEqual(ids({ agreement: 'misclassified' }), ['a.png', 'b.png']);
  });

  it('restores the finding filter from saved state and drops what is malformed', () => {
    const restored = restoreFilter({ finding: 'Pneumonia', findingState: 'disagreeing', findingMin: 0.2, findingMax: 7, sort: 'finding' });
    assert.equal(restored.finding, 'Pneumonia');
    assert.equal(restored.findingState, 'disagreeing');
    assert.equal(restored.findingMin, 0.2);
    assert.equal(restored.findingMax, 1);
    assert.equal(restored.sort, 'finding');
    assert.equal(restoreFilter({ findingState: 'bogus' }).findingState, 'any');
    assert.ok(!('finding' in restoreFilter({})));
  });

  it('shows a set finding on the item at once, in the lists the item carries', () => {
    assert.deepEqual(withFinding(items[2], 'Effusion', 'positive').findings, { positive: ['Pneumonia', 'Effusion'], uncertain: [] });
    assert.deepEqual(withFinding(items[2], 'Pneumonia', 'negative').findings, { positive: [], uncertain: ['Effusion'] });
    assert.deepEqual(withFinding(items[0], 'Mass', 'uncertain').findings, { positive: ['Pneumonia'], uncertain: ['Mass'] });
    const single: GalleryItem = { id: 'x', label: 'COVID', flagged: false };
    assert.equal(withFinding(single, 'Mass', 'positive'), single);
  });

  it('picks the finding the keys set: [ and ] wrap round; the filter picks it when none was', () => {
    const findings = ['Atelectasis', 'Effusion', 'Pneumonia'];
    assert.equal(cycleFinding(undefined, findings, 1), 'Atelectasis');
    assert.equal(cycleFinding('Pneumonia', findings, 1), 'Atelectasis');
    assert.equal(cycleFinding('Atelectasis', findings, -1), 'Pneumonia');
    assert.equal(cycleFinding('x', [], 1), undefined);
    const dataset = { name: 'n', root: '/r', classes: [], counts: {}, findings };
    assert.equal(activeFinding(undefined, 'Pneumonia', dataset), 'Pneumonia');
    assert.equal(activeFinding('Effusion', 'Pneumonia', dataset), 'Effusion');
    assert.equal(activeFinding('Gone', undefined, dataset), 'Atelectasis');
    assert.equal(activeFinding(undefined, undefined, { ...dataset, findings: undefined }), undefined);
  });
});
