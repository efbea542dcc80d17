import * as assert from 'node:assert/strict';
import { adjudicator, applyConsensus, formatConsensusRule, majority, parseConsensusRule, single, unanimous } from '../../../../src/dataset/readers';

const votes = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));

describe('consensus rules', () => {
  it('majority: the most votes win; a tie for the most settles nothing and says so', () => {
    assert.deepEqual(majority(votes({ A: 'x', B: 'x', C: 'y' })), { value: 'x' });
    assert.deepEqual(majority(votes({ A: 'x', B: 'y', C: 'z', D: 'x' })), { value: 'x' });
    assert.deepEqual(majority(votes({ A: 'x', B: 'y' })), { value: null, reason: 'tie: x 1, y 1' });
    assert.deepEqual(majority(votes({ A: 'y', B: 'x', C: 'y', D: 'x', E: 'z' })), { value: null, reason: 'tie: x 2, y 2' });
    assert.deepEqual(majority(votes({ A: 'x' })), { value: 'x' });
    assert.deepEqual(majority(votes({})), { value: null, reason: 'no readings' });
  });

  it("adjudicator: the named reader's reading where present, else the majority", () => {
    assert.deepEqual(adjudicator(votes({ A: 'x', B: 'x', ADJ: 'y' }), 'ADJ'), { value: 'y' });
    assert.deepEqual(adjudicator(votes({ A: 'x', B: 'x', C: 'y' }), 'ADJ'), { value: 'x' });
    assert.deepEqual(adjudicator(votes({ A: 'x', B: 'y' }), 'ADJ'), { value: null, reason: 'tie: x 1, y 1' });
  });

  it('unanimous: only where every reader agrees; single: one reader only', () => {
    assert.deepEqual(unanimous(votes({ A: 'x', B: 'x' })), { value: 'x' });
    assert.deepEqual(unanimous(votes({ A: 'x', B: 'x', C: 'y' })), { value: null, reason: 'readers disagree: x, y' });
    assert.deepEqual(single(votes({ A: 'x', B: 'y' }), 'B'), { value: 'y' });
    assert.deepEqual(single(votes({ A: 'x' }), 'B'), { value: null, reason: 'not read by B' });
  });

  it('applies a rule to every item and lists the unsettled ones with their readings', () => {
    const byItem = new Map([['i1', votes({ A: 'x', B: 'x' })], ['i2', votes({ A: 'x', B: 'y' })], ['i3', votes({})]]);
    const result = applyConsensus({ kind: 'unanimous' }, byItem);
    assert.deepEqual([...result.settled], [['i1', 'x']]);
    assert.deepEqual(result.unsettled, [{ item: 'i2', reason: 'readers disagree: x, y', readings: { A: 'x', B: 'y' } }]);
  });

  it('parses and prints the command-line spelling', () => {
    for (const text of ['majority', 'unanimous', 'adjudicator:Dr. Ng', 'reader:R8']) assert.equal(formatConsensusRule(parseConsensusRule(text)), text);
    assert.deepEqual(parseConsensusRule('reader:R8'), { kind: 'single', reader: 'R8' });
    assert.throws(() => parseConsensusRule('plurality'), /unknown consensus rule "plurality"/);
    assert.throws(() => parseConsensusRule('reader:'), /unknown consensus rule/);
  });
});
