import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LabelJournal, openDataset, readJournal } from '../../../../src/dataset';
import { stateDirOf } from '../../../../src/dataset/userCache';
import {
  applyConsensus,
  assignedReaders,
  journalReadings,
  readingOrder,
  readReadersConfig,
  studyProblems,
  waitsFor,
  writeConsensusRule,
  writeReadersConfig,
} from '../../../../src/dataset/readers';
import { makeClassFolders, makeTempDir, removeTempDirs } from '../fixtures';

const ids = Array.from({ length: 300 }, (_, i) => `${i % 2 ? 'COVID' : 'NORMAL'}/img${i}.png`);

describe('a reading study', () => {
  after(removeTempDirs);

  it('assigns each image to k consecutive readers of the roster, the same ones every time, about evenly', () => {
    const study = { blind: true, readersPerItem: 3, readers: ['r1', 'r2', 'r3', 'r4', 'r5'] };
    const load = new Map<string, number>();
    for (const id of ids) {
      const assigned = assignedReaders(id, study)!;
      assert.equal(new Set(assigned).size, 3, id);
      assert.deepEqual(assignedReaders(id, study), assigned);
      const start = study.readers.indexOf(assigned[0]);
      assert.deepEqual(assigned, [0, 1, 2].map((j) => study.readers[(start + j) % 5]));
      for (const reader of assigned) load.set(reader, (load.get(reader) ?? 0) + 1);
    }
    // 300 × 3 / 5 = 180 each; a hash rotation stays within a few dozen of that.
    for (const reader of study.readers) assert.ok(Math.abs(load.get(reader)! - 180) < 40, `${reader}: ${load.get(reader)}`);
    assert.equal(assignedReaders(ids[0], { blind: true }), null);
    assert.deepEqual(assignedReaders(ids[0], { blind: false, readers: ['a', 'b'] })!.sort(), ['a', 'b']);
  });

  it('an image waits for its assigned readers, or (without a roster) for anyone until k readers have read it; never for the adjudicator', () => {
    const roster = { blind: true, readersPerItem: 1, readers: ['a', 'b'], adjudicator: 'adj' };
    const [only] = assignedReaders(ids[7], roster)!;
    const other = only === 'a' ? 'b' : 'a';
    assert.equal(waitsFor(only, ids[7], 0, roster), true);
    assert.equal(waitsFor(other, ids[7], 0, roster), false);
    assert.equal(waitsFor('adj', ids[7], 0, roster), false);
    const open = { blind: true, readersPerItem: 2, adjudicator: 'adj' };
    assert.equal(waitsFor('c', ids[7], 1, open), true);
    assert.equal(waitsFor('c', ids[7], 2, open), false);
    assert.equal(waitsFor('adj', ids[7], 0, open), false);
    assert.equal(waitsFor('c', ids[7], 9, { blind: false }), true);
  });

  it('the reading order mixes the class folders and is stable', () => {
    const order = readingOrder(ids);
    assert.deepEqual([...order].sort(), [...ids].sort());
    assert.deepEqual(readingOrder([...ids].reverse()), order);
    const firstHalf = order.slice(0, 150).filter((id) => id.startsWith('COVID')).length;
    assert.ok(firstHalf > 50 && firstHalf < 100, `${firstHalf} COVID images in the first half`);
  });

  it('names what is wrong with a study', () => {
    assert.deepEqual(studyProblems({ blind: true, readersPerItem: 2, readers: ['a', 'b'] }), []);
    assert.deepEqual(studyProblems({ blind: true, readersPerItem: 0 }), ['readersPerItem must be a whole number of at least 1, not 0']);
    assert.deepEqual(studyProblems({ blind: true, readersPerItem: 3, readers: ['a', 'a', ' '] }), ['every reader needs a name', 'a reader is named twice']);
    assert.deepEqual(studyProblems({ blind: false, readersPerItem: 3, readers: ['a', 'b'] }), ['3 readers per image, but only 2 readers']);
    assert.deepEqual(studyProblems({ blind: false, adjudicator: '' }), ['the adjudicator needs a name']);
  });

  it('readers.json version 2 keeps the study; version 1 files read as a study without blinding; damage is named', async () => {
    const root = await makeTempDir('xray-study-');
    const file = path.join(stateDirOf(root), 'readers.json');
    assert.equal(await readReadersConfig(root), null);
    const config = { rule: { kind: 'majority' as const }, study: { blind: true, readersPerItem: 2, readers: ['ann', 'bob', 'cy'], adjudicator: 'dr' } };
    await writeReadersConfig(root, config);
    assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')), { version: 2, consensus: 'majority', blind: true, readersPerItem: 2, readers: ['ann', 'bob', 'cy'], adjudicator: 'dr' });
    assert.deepEqual(await readReadersConfig(root), config);

    // Changing the rule keeps the study; an adjudicator rule names the study's adjudicator, and leaves with it.
    await writeConsensusRule(root, { kind: 'unanimous' });
    assert.deepEqual(await readReadersConfig(root), { ...config, rule: { kind: 'unanimous' } });
    await writeReadersConfig(root, { rule: { kind: 'majority' }, study: { blind: false } });
    await writeConsensusRule(root, { kind: 'adjudicator', reader: 'lee' });
    assert.deepEqual((await readReadersConfig(root))!.study, { blind: false, adjudicator: 'lee' });
    await writeConsensusRule(root, { kind: 'majority' });
    assert.deepEqual((await readReadersConfig(root))!.study, { blind: false });

    await fs.writeFile(file, JSON.stringify({ version: 1, consensus: 'adjudicator:lee' }));
    assert.deepEqual(await readReadersConfig(root), { rule: { kind: 'adjudicator', reader: 'lee' }, study: { blind: false, adjudicator: 'lee' } });
    await fs.writeFile(file, JSON.stringify({ version: 2, consensus: 'majority', blind: true, readersPerItem: 4, readers: ['a'] }));
    await assert.rejects(readReadersConfig(root), /readers\.json: 4 readers per image, but only 1 readers/);
    await fs.writeFile(file, JSON.stringify({ version: 2, consensus: 'majority', readers: 'a,b' }));
    await assert.rejects(readReadersConfig(root), /readers must be a list of names/);
    await fs.writeFile(file, JSON.stringify({ version: 9, consensus: 'majority' }));
    await assert.rejects(readReadersConfig(root), /unsupported version 9/);
    await assert.rejects(writeReadersConfig(root, { rule: { kind: 'majority' }, study: { blind: true, readersPerItem: -1 } }), RangeError);
  });

  it("an adjudicator's decision is nobody's reading, settles its item whatever the rule, and is withdrawn by undo", async () => {
    const root = await makeTempDir('xray-study-');
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    await writeReadersConfig(root, { rule: { kind: 'unanimous' }, study: { blind: true } });
    const dataset = await openDataset(root);
    const covid = dataset.items.find((item) => item.id === 'COVID/img0.png')!;
    const ann = await LabelJournal.open(root, { user: 'ann' });
    const bob = await LabelJournal.open(root, { user: 'bob' });
    const dr = await LabelJournal.open(root, { user: 'dr' });
    await ann.relabel(covid, 'NORMAL');
    await bob.relabel(covid, 'COVID');
    await dr.refresh();
    // Unanimous leaves it unsettled: the item keeps its folder label.
    assert.equal(dr.state.overrides.get(covid.id)?.label, undefined);
    await dr.record([{ kind: 'relabel', item: covid, value: 'NORMAL', adjudication: { reason: 'sides with ann' } }]);
    assert.equal(dr.state.overrides.get(covid.id)?.label, 'NORMAL');
    const { entries } = await readJournal(root);
    const line = entries.find((entry) => entry.adjudication)!;
    assert.deepEqual([line.user, line.new, line.adjudication, line.version], ['dr', 'NORMAL', { reason: 'sides with ann' }, 3]);
    const readings = journalReadings(entries);
    assert.deepEqual(readings.labels.map((r) => r.reader).sort(), ['ann', 'bob']);
    assert.deepEqual(readings.decisions.map(({ item, reader, label, reason }) => ({ item, reader, label, reason })), [{ item: covid.id, reader: 'dr', label: 'NORMAL', reason: 'sides with ann' }]);
    // Reopened, the dataset's label is the decision.
    assert.equal((await openDataset(root)).items.find((item) => item.id === covid.id)!.label, 'NORMAL');

    await dr.undo();
    assert.deepEqual(journalReadings((await readJournal(root)).entries).decisions, []);
    assert.equal(dr.state.overrides.get(covid.id)?.label, undefined);
  });

  it('applyConsensus: a decision settles an item the rule leaves open, and overrides one it settles', () => {
    const votes = new Map([['i1', new Map([['a', 'x'], ['b', 'y']])], ['i2', new Map([['a', 'x'], ['b', 'x']])], ['i3', new Map([['a', 'x'], ['b', 'y']])]]);
    const result = applyConsensus({ kind: 'unanimous' }, votes, new Map([['i1', 'y'], ['i2', 'y']]));
    assert.deepEqual([...result.settled].sort(), [['i1', 'y'], ['i2', 'y']]);
    assert.deepEqual(result.unsettled.map((u) => u.item), ['i3']);
  });
});
