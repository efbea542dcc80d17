import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LabelJournal, openDataset, readerJournalFile, readJournal } from '../../../src/dataset';
import type { Dataset, DatasetItem, JournalEntry } from '../../../src/dataset';
import { journalReadings } from '../../../src/dataset/readers';
import { runCli } from '../../support/runCli';
import { makeClassFolders, makeTempDir, removeTempDirs } from './fixtures';

async function openFixture(): Promise<{ root: string; dataset: Dataset; byId: (id: string) => DatasetItem }> {
  const root = await makeTempDir('xray-readers-journal-');
  await makeClassFolders(root, { COVID: 4, NORMAL: 4 });
  const dataset = await openDataset(root);
  return { root, dataset, byId: (id) => dataset.items.find((item) => item.id === id)! };
}

const linesOf = async (file: string): Promise<JournalEntry[]> =>
  (await fs.readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as JournalEntry);

const stateOf = (journal: LabelJournal): string => JSON.stringify([...journal.state.overrides].sort(([a], [b]) => a.localeCompare(b)));

/** Resolves once `journal` holds every entry in `entries`; only its watcher refreshes a journal that does not write. */
function heardAll(journal: LabelJournal, entries: readonly JournalEntry[]): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      const known = new Set(journal.entries.map((entry) => entry.id));
      if (entries.every((entry) => known.has(entry.id))) resolve();
    };
    journal.onDidChange(check);
    check();
  });
}

function line(fields: Partial<JournalEntry>): string {
  return `${JSON.stringify({ version: 2, group: 'g', hash: null, kind: 'relabel', old: 'COVID', ...fields })}\n`;
}

describe('one journal file per reader', () => {
  after(removeTempDirs);

  it('names each reader a file of their own: safe characters kept, the rest percent-encoded, never two readers in one', () => {
    assert.equal(readerJournalFile('alice'), 'journals/alice.jsonl');
    assert.equal(readerJournalFile('Dr. Ann-Lee_2'), 'journals/Dr.%20Ann-Lee_2.jsonl');
    assert.equal(readerJournalFile('rad/../x'), 'journals/rad%2F..%2Fx.jsonl');
    assert.equal(readerJournalFile('Jürgen'), 'journals/J%C3%BCrgen.jsonl');
    const names = ['a b', 'a%20b', 'a/b', 'a%2Fb', 'a_b', 'ä', '%C3%A4', ''];
    assert.equal(new Set(names.map(readerJournalFile)).size, names.length);
  });

  it('two writers on one dataset: each writes only their own file, sees the other live, and a fresh open merges both', async () => {
    const { root, dataset, byId } = await openFixture();
    // History from before readers had their own files: read as one more file, never rewritten.
    const shared = path.join(root, '.xray-curator', 'journal.jsonl');
    const history = line({ id: 'old-1', time: '2020-01-01T00:00:00.000Z', user: 'carol', item: 'NORMAL/img3.png', new: 'COVID', old: 'NORMAL' });
    await fs.writeFile(shared, history);

    const [a, b] = await Promise.all([LabelJournal.open(root, { user: 'ann' }), LabelJournal.open(root, { user: 'bob' })]);
    const stops = [a.watchForOtherWriters(), b.watchForOtherWriters()];
    try {
      const written: JournalEntry[] = [];
      // Interleaved one by one, then all at once, on the same items: nothing may be lost.
      for (const item of dataset.items.slice(0, 4)) {
        written.push(...(await a.relabel(item, 'NORMAL')));
        written.push(...(await b.relabel(item, 'COVID')));
      }
      const together = await Promise.all(dataset.items.flatMap((item, i) => [a.flag(item), b.note(item, `b${i}`), a.relabel(item, i % 2 ? 'COVID' : 'NORMAL'), b.unflag(item)]));
      written.push(...together.flat());
      // The last edit of each is heard by the other only through its watcher (the other writes nothing after).
      written.push(...(await a.note(dataset.items[0], 'from ann')));
      await heardAll(b, written);
      written.push(...(await b.note(dataset.items[1], 'from bob')));
      await heardAll(a, written);

      const annLines = await linesOf(a.file);
      const bobLines = await linesOf(b.file);
      assert.equal(a.file, path.join(root, '.xray-curator', 'journals', 'ann.jsonl'));
      assert.equal(b.file, path.join(root, '.xray-curator', 'journals', 'bob.jsonl'));
      assert.ok(annLines.every((entry) => entry.user === 'ann') && bobLines.every((entry) => entry.user === 'bob'));
      assert.equal(annLines.length + bobLines.length, written.length);
      assert.equal(await fs.readFile(shared, 'utf8'), history, 'the old journal is never rewritten');

      const fresh = await LabelJournal.open(root, { user: 'carol' });
      const contents = await readJournal(root);
      assert.deepEqual(contents.warnings, []);
      assert.equal(contents.entries.length, written.length + 1);
      assert.equal(new Set(contents.entries.map((entry) => entry.id)).size, contents.entries.length);
      assert.equal(contents.entries[0].id, 'old-1', 'the oldest entry comes first');
      assert.deepEqual(contents.entries.map((entry) => entry.id), fresh.entries.map((entry) => entry.id));
      assert.equal(stateOf(a), stateOf(fresh));
      assert.equal(stateOf(b), stateOf(fresh));
      // The last edit in time wins whoever made it: ann's relabel came after bob's on every item.
      for (const [i, item] of dataset.items.entries()) assert.equal(fresh.state.overrides.get(item.id)?.label, i % 2 ? 'COVID' : 'NORMAL');
      assert.deepEqual(dataset.items.map((item) => fresh.state.overrides.get(item.id)?.note), ['from ann', 'from bob', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
      const reopened = await openDataset(root);
      assert.equal(reopened.items.find((item) => item.id === 'COVID/img0.png')?.label, 'NORMAL');
      // Every reader's readings come out of the merged entries.
      const readings = journalReadings(contents.entries).labels;
      assert.deepEqual(new Set(readings.map((r) => r.reader)), new Set(['ann', 'bob', 'carol']));
      assert.equal(readings.find((r) => r.reader === 'bob' && r.item === byId('COVID/img0.png').id)?.value, 'COVID');
      assert.equal(readings.filter((r) => r.reader === 'ann').length, dataset.items.length);
    } finally {
      for (const stop of stops) stop();
    }
  });

  it('undo is per user: each undoes their own last edit, not the other reader\'s', async () => {
    const { root, byId } = await openFixture();
    const [a, b] = await Promise.all([LabelJournal.open(root, { user: 'ann' }), LabelJournal.open(root, { user: 'bob' })]);
    await a.relabel(byId('COVID/img0.png'), 'NORMAL');
    await b.relabel(byId('COVID/img1.png'), 'NORMAL');
    const [undone] = await a.undo();
    assert.deepEqual([undone.user, undone.item, undone.new], ['ann', 'COVID/img0.png', 'COVID']);
    assert.equal((await linesOf(a.file)).length, 2);
    const merged = await LabelJournal.open(root);
    assert.equal(merged.state.overrides.get('COVID/img0.png')?.label, 'COVID');
    assert.equal(merged.state.overrides.get('COVID/img1.png')?.label, 'NORMAL');
  });

  it('merges by time, then file name; an entry arriving late with an earlier time is replayed into place', async () => {
    const { root } = await openFixture();
    const dir = path.join(root, '.xray-curator', 'journals');
    await fs.mkdir(dir, { recursive: true });
    const item = 'COVID/img0.png';
    await fs.writeFile(path.join(dir, 'zed.jsonl'), line({ id: 'z1', time: '2026-01-01T00:00:02.000Z', user: 'zed', item, new: 'NORMAL' }));
    await fs.writeFile(path.join(dir, 'amy.jsonl'), line({ id: 'a1', time: '2026-01-01T00:00:02.000Z', user: 'amy', item, new: 'PNEUMONIA' }));
    const journal = await LabelJournal.open(root, { user: 'me' });
    assert.deepEqual(journal.entries.map((entry) => entry.id), ['a1', 'z1'], 'same time: file name order');
    assert.equal(journal.state.overrides.get(item)?.label, 'NORMAL');
    // Amy's machine was offline: her edit from before zed's reaches the folder after it.
    await fs.appendFile(path.join(dir, 'amy.jsonl'), line({ id: 'a0', time: '2026-01-01T00:00:01.000Z', user: 'amy', item: 'COVID/img1.png', new: 'NORMAL' }));
    await fs.appendFile(path.join(dir, 'zed.jsonl'), line({ id: 'z2', time: '2026-01-01T00:00:03.000Z', user: 'zed', item, new: 'COVID' }));
    const heard = await journal.refresh();
    assert.deepEqual(heard.map((entry) => entry.id).sort(), ['a0', 'z2'], 'listeners hear the new entries once');
    assert.deepEqual(journal.entries.map((entry) => entry.id), ['a1', 'a0', 'z1', 'z2'], "each file keeps its own order");
    assert.equal(journal.state.overrides.get(item)?.label, 'COVID');
    assert.equal(journal.state.overrides.get('COVID/img1.png')?.label, 'NORMAL');
  });

  it('stamps a new edit after the latest entry read when this clock is behind another reader\'s', async () => {
    const { root, byId } = await openFixture();
    const ahead = new Date(Date.now() + 5_000).toISOString();
    await fs.mkdir(path.join(root, '.xray-curator', 'journals'), { recursive: true });
    await fs.writeFile(path.join(root, '.xray-curator', 'journals', 'fast.jsonl'), line({ id: 'f1', time: ahead, user: 'fast', item: 'COVID/img0.png', new: 'PNEUMONIA' }));
    const journal = await LabelJournal.open(root, { user: 'slow' });
    const [mine] = await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    assert.ok(Date.parse(mine.time) > Date.parse(ahead), `${mine.time} after ${ahead}`);
    assert.equal((await LabelJournal.open(root)).state.overrides.get('COVID/img0.png')?.label, 'NORMAL');
  });

  it('two processes (the command line, run twice at once) write their own files and lose no label', async () => {
    const { root, dataset } = await openFixture();
    const watching = await LabelJournal.open(root, { user: 'gallery' });
    const stop = watching.watchForOtherWriters();
    try {
      const ids = dataset.items.map((item) => item.id);
      const sets = (label: string): string[] => ids.flatMap((id) => ['--set', `${id}=${label}`]);
      const runs = await Promise.all([
        runCli(['label', root, '--reader', 'R1', ...sets('NORMAL')]),
        runCli(['label', root, '--reader', 'R 2', ...sets('COVID')]),
      ]);
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      await heardAll(watching, (await readJournal(root)).entries);
      assert.equal(watching.entries.length, ids.length * 2);
      const r1 = await linesOf(path.join(root, '.xray-curator', 'journals', 'R1.jsonl'));
      const r2 = await linesOf(path.join(root, '.xray-curator', 'journals', 'R%202.jsonl'));
      assert.deepEqual([r1.length, r2.length], [ids.length, ids.length]);
      assert.ok(r1.every((entry) => entry.user === 'R1') && r2.every((entry) => entry.user === 'R 2'));
      const readings = journalReadings((await readJournal(root)).entries).labels;
      assert.equal(readings.length, ids.length * 2, 'every reading of both readers is kept');
      const fresh = await LabelJournal.open(root);
      assert.equal(stateOf(fresh), stateOf(watching));
    } finally {
      stop();
    }
  });
});
