import * as assert from 'node:assert/strict';
import { evidenceText, issueEvidence } from '../../../src/ml/audit/issueEvidence';
import type { NeighbourSearch } from '../../../src/ml/audit/neighbours';

// Four neighbours per item; item 0's are mostly class 1, item 1's mostly its own class 0; -1 marks an empty slot.
const search: NeighbourSearch = {
  k: 4,
  neighbours: Int32Array.from([2, 3, 4, 5, /* item 1: */ 5, 6, 2, -1]),
  pairs: [],
};
// Items 0..6; item 6 is unlabelled and does not vote.
const labels = [0, 0, 1, 1, 1, 0, -1];

describe('audit: why an item is a label issue', () => {
  it('calls the label wrong when most labelled neighbours carry another class', () => {
    const evidence = issueEvidence(search, labels, 0, 0, 1);
    assert.deepEqual(evidence, { kind: 'label', neighbours: 4, sameLabel: 1, suggestedLabel: 3 });
    assert.equal(evidenceText(evidence, 'NORMAL', 'COVID'), 'the label looks wrong: 3 of the 4 most similar images are COVID, 1 NORMAL');
  });

  it('calls the model weak when half or more of the labelled neighbours share the label, skipping unlabelled and empty slots', () => {
    const evidence = issueEvidence(search, labels, 1, 0, 1);
    assert.deepEqual(evidence, { kind: 'model', neighbours: 2, sameLabel: 1, suggestedLabel: 1 });
    assert.equal(evidenceText(evidence, 'NORMAL', 'COVID'), 'the model is weak here: 1 of the 2 most similar images are NORMAL too');
  });
});
