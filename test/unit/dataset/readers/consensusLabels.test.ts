import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { applyJournalState, LabelJournal, openDataset, stateDirOf } from '../../../../src/dataset';
import type { Dataset } from '../../../../src/dataset';
import { parseConsensusRule, readConsensusRule, writeConsensusRule } from '../../../../src/dataset/readers';
import { makeClassFolders, makeTempDir, removeTempDirs } from '../fixtures';

const labels = (dataset: Dataset): Record<string, string | null> => Object.fromEntries(dataset.items.map((item) => [item.id, item.label]));

describe("the readers' consensus as the dataset's label (readers.json)", () => {
  after(removeTempDirs);

  it('three readers: no file, majority, unanimous, adjudicator and one reader give the labels expected; flags and notes stay', async () => {
    const root = await makeTempDir('xray-consensus-');
    await makeClassFolders(root, { COVID: 2, NORMAL: 1, PNEUMONIA: 1 });
    const dataset = await openDataset(root);
    const byId = (id: string) => dataset.items.find((item) => item.id === id)!;
    const [r1, r2, r3] = await Promise.all(['R1', 'R2', 'R3'].map((user) => LabelJournal.open(root, { user })));
    // COVID/img0: two say NORMAL, the last edit (R3) says COVID.
    await r1.relabel(byId('COVID/img0.png'), 'NORMAL');
    await r2.relabel(byId('COVID/img0.png'), 'NORMAL');
    await r3.relabel(byId('COVID/img0.png'), 'COVID');
    // COVID/img1: a tie between two readers; R3 did not read it.
    await r1.relabel(byId('COVID/img1.png'), 'PNEUMONIA');
    await r2.relabel(byId('COVID/img1.png'), 'NORMAL');
    // NORMAL/img0: all three agree.
    for (const reader of [r1, r2, r3]) await reader.relabel(byId('NORMAL/img0.png'), 'PNEUMONIA');
    // PNEUMONIA/img0: nobody read it; R2 flags it and leaves a note.
    await r2.flag(byId('PNEUMONIA/img0.png'));
    await r2.note(byId('PNEUMONIA/img0.png'), 'check the view');

    const source = { 'COVID/img0.png': 'COVID', 'COVID/img1.png': 'COVID', 'NORMAL/img0.png': 'NORMAL', 'PNEUMONIA/img0.png': 'PNEUMONIA' };
    const latest = await openDataset(root);
    assert.deepEqual(labels(latest), { ...source, 'COVID/img0.png': 'COVID', 'COVID/img1.png': 'NORMAL', 'NORMAL/img0.png': 'PNEUMONIA' }, 'no readers.json: the latest edit wins');
    assert.ok(!latest.warnings.some((w) => /consensus/.test(w)));

    const expected: Record<string, Record<string, string>> = {
      majority: { 'COVID/img0.png': 'NORMAL', 'COVID/img1.png': 'COVID', 'NORMAL/img0.png': 'PNEUMONIA' },
      unanimous: { 'COVID/img0.png': 'COVID', 'COVID/img1.png': 'COVID', 'NORMAL/img0.png': 'PNEUMONIA' },
      'adjudicator:R3': { 'COVID/img0.png': 'COVID', 'COVID/img1.png': 'COVID', 'NORMAL/img0.png': 'PNEUMONIA' },
      'adjudicator:R1': { 'COVID/img0.png': 'NORMAL', 'COVID/img1.png': 'PNEUMONIA', 'NORMAL/img0.png': 'PNEUMONIA' },
      'reader:R2': { 'COVID/img0.png': 'NORMAL', 'COVID/img1.png': 'NORMAL', 'NORMAL/img0.png': 'PNEUMONIA' },
    };
    const unsettled: Record<string, RegExp | null> = {
      majority: /^1 item\(s\) without a majority consensus .*: COVID\/img1\.png \(tie: NORMAL 1, PNEUMONIA 1\)$/,
      unanimous: /^2 item\(s\) without a unanimous consensus .*: COVID\/img0\.png \(readers disagree: COVID, NORMAL\), COVID\/img1\.png \(readers disagree: NORMAL, PNEUMONIA\)$/,
      'adjudicator:R3': /^1 item\(s\) .*: COVID\/img1\.png \(tie/,
      'adjudicator:R1': null,
      'reader:R2': null,
    };
    for (const [text, want] of Object.entries(expected)) {
      await writeConsensusRule(root, parseConsensusRule(text));
      assert.deepEqual(await readConsensusRule(root), parseConsensusRule(text));
      const opened = await openDataset(root);
      assert.deepEqual(labels(opened), { ...source, ...want }, text);
      const warning = opened.warnings.filter((w) => /consensus/.test(w));
      if (unsettled[text]) assert.match(warning.join('\n'), unsettled[text]!, text);
      else assert.deepEqual(warning, [], text);
      const flagged = opened.items.find((item) => item.id === 'PNEUMONIA/img0.png')!;
      assert.deepEqual([flagged.flagged, flagged.note], [true, 'check the view'], `${text}: flags and notes are the journal's`);
    }

    // The live journal (the gallery's) gives the same labels, and follows new readings.
    await writeConsensusRule(root, parseConsensusRule('majority'));
    const live = await LabelJournal.open(root, { user: 'R3' });
    applyJournalState(dataset, live.state);
    assert.deepEqual(labels(dataset), { ...source, ...expected.majority });
    await live.relabel(byId('COVID/img1.png'), 'NORMAL');
    applyJournalState(dataset, live.state);
    assert.equal(byId('COVID/img1.png').label, 'NORMAL', 'R3 broke the tie');
    assert.equal(byId('COVID/img0.png').label, 'NORMAL', "R3's own last edit (COVID) is outvoted");
    await live.undo();

    await writeConsensusRule(root, null);
    assert.equal(await readConsensusRule(root), null);
    assert.deepEqual(labels(await openDataset(root)), labels(latest), 'removing the file: the latest edit wins again');
  });

  it('a damaged readers.json is a warning, and the latest edit gives the labels', async () => {
    const root = await makeTempDir('xray-consensus-');
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    const journal = await LabelJournal.open(root, { user: 'R1' });
    await journal.relabel((await openDataset(root)).items[0], 'NORMAL');
    await fs.writeFile(path.join(stateDirOf(root), 'readers.json'), '{"version": 1, "consensus": "loudest"}');
    const opened = await openDataset(root);
    assert.match(opened.warnings.join('\n'), /readers\.json not read \(unknown consensus rule "loudest"/);
    assert.equal(opened.items[0].label, 'NORMAL');
  });
});
