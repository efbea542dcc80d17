import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { applyJournalState, LabelJournal, openDataset, readJournal, stateDirOf } from '../../../src/dataset';
import type { Dataset, DatasetItem, JournalEntry } from '../../../src/dataset';
import { makeClassFolders, makeTempDir, removeTempDirs } from './fixtures';

/** The single journal file of every user from before readers had their own: still read, never written. */
const sharedJournalFile = (root: string): string => path.join(root, '.xray-curator', 'journal.jsonl');

async function openFixture(): Promise<{ root: string; dataset: Dataset; byId: (id: string) => DatasetItem }> {
  const root = await makeTempDir('xray-journal-');
  await makeClassFolders(root, { COVID: 3, NORMAL: 3 });
  const dataset = await openDataset(root);
  const byId = (id: string): DatasetItem => dataset.items.find((item) => item.id === id)!;
  return { root, dataset, byId };
}

describe('LabelJournal', () => {
  after(removeTempDirs);

  it('appends one versioned line per edit with user, hash, old → new and the prediction shown', async () => {
    const { root, byId } = await openFixture();
    const journal = await LabelJournal.open(root, { user: 'alice' });
    const [relabel] = await journal.relabel(byId('COVID/img0.png'), 'NORMAL', { model: 'mnv2-abc', confidence: 0.91 });
    await journal.flag(byId('COVID/img1.png'));
    await journal.note(byId('COVID/img1.png'), 'lateral view?');
    assert.equal(journal.file, path.join(root, '.xray-curator', 'journals', 'alice.jsonl'));
    const lines = (await fs.readFile(journal.file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as JournalEntry);
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0], relabel);
    assert.equal(lines[0].version, 3, 'journal lines are written in format version 3 (adjudication reasons)');
    assert.equal(lines[0].user, 'alice');
    assert.equal(lines[0].item, 'COVID/img0.png');
    assert.equal(lines[0].hash, byId('COVID/img0.png').hash);
    assert.deepEqual([lines[0].old, lines[0].new, lines[0].model, lines[0].confidence], ['COVID', 'NORMAL', 'mnv2-abc', 0.91]);
    assert.ok(!Number.isNaN(Date.parse(lines[0].time)));
    assert.deepEqual([lines[1].kind, lines[1].old, lines[1].new], ['flag', false, true]);
    assert.deepEqual([lines[2].kind, lines[2].old, lines[2].new], ['note', null, 'lateral view?']);
  });

  it('overrides folder labels on reopen, and applies live state to an open dataset', async () => {
    const { root, dataset, byId } = await openFixture();
    const journal = await LabelJournal.open(root);
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    await journal.relabel(byId('NORMAL/img0.png'), null);
    await journal.flag(byId('NORMAL/img1.png'));
    applyJournalState(dataset, journal.state);
    assert.equal(byId('COVID/img0.png').label, 'NORMAL');
    assert.equal(byId('COVID/img0.png').sourceLabel, 'COVID');
    const reopened = await openDataset(root);
    const get = (id: string): DatasetItem => reopened.items.find((item) => item.id === id)!;
    assert.deepEqual([get('COVID/img0.png').label, get('NORMAL/img0.png').label, get('NORMAL/img1.png').flagged, get('COVID/img1.png').label], ['NORMAL', null, true, 'COVID']);
  });

  it('undoes and redoes with reversing entries (the file stays append-only)', async () => {
    const { root, byId } = await openFixture();
    const journal = await LabelJournal.open(root);
    const item = byId('COVID/img0.png');
    await journal.relabel(item, 'NORMAL');
    await journal.flag(item);
    assert.equal(journal.canRedo, false);
    const [unflag] = await journal.undo();
    assert.equal(unflag.kind, 'unflag');
    assert.equal(journal.state.overrides.get(item.id)?.flagged, false);
    const [back] = await journal.undo();
    assert.deepEqual([back.old, back.new], ['NORMAL', 'COVID']);
    assert.equal(journal.state.overrides.get(item.id)?.label, 'COVID');
    assert.equal(journal.canUndo, false);
    assert.deepEqual(await journal.undo(), []);
    await journal.redo();
    assert.equal(journal.state.overrides.get(item.id)?.label, 'NORMAL');
    assert.equal(journal.canRedo, true);
    await journal.redo();
    assert.equal(journal.state.overrides.get(item.id)?.flagged, true);
    assert.equal((await readJournal(root)).entries.length, 6);
    // A new edit after an undo clears the redo stack.
    await journal.undo();
    await journal.note(item, 'x');
    assert.equal(journal.canRedo, false);
  });

  it('skips a torn last line with a warning and keeps appending after it', async () => {
    const { root, byId } = await openFixture();
    const journal = await LabelJournal.open(root);
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    await fs.appendFile(journal.file, '{"version":1,"id":"torn","gro');
    const afterCrash = await LabelJournal.open(root);
    assert.equal(afterCrash.entries.length, 1);
    assert.match(afterCrash.warnings.join('\n'), /line 2 skipped: incomplete last line/);
    await afterCrash.flag(byId('COVID/img1.png'));
    const reread = await readJournal(root);
    assert.deepEqual(reread.entries.map((entry) => entry.kind), ['relabel', 'flag']);
    assert.match(reread.warnings.join('\n'), /line 2 skipped/);
    assert.equal((await openDataset(root)).items.find((item) => item.id === 'COVID/img1.png')?.flagged, true);
  });

  it('skips damaged, foreign and path-smuggling lines anywhere with a warning', async () => {
    const { root } = await openFixture();
    await fs.mkdir(path.dirname(sharedJournalFile(root)), { recursive: true });
    const fields = '"version":1,"id":"x","group":"g","time":"t","user":"u","item":"COVID/img0.png","hash":null';
    await fs.writeFile(sharedJournalFile(root), [
      'garbage',
      '{"version":99,"kind":"relabel"}',
      '',
      `{${fields},"kind":"relabel","old":"COVID","new":"../../etc"}`,
      `{${fields},"kind":"move","old":"COVID/img0.png","new":"../../outside.png"}`,
      `{${fields},"kind":"flag","old":false,"new":true}`,
      '',
    ].join('\n'));
    const journal = await LabelJournal.open(root);
    assert.deepEqual(journal.entries.map((entry) => entry.kind), ['flag']);
    assert.deepEqual(journal.warnings.map((warning) => warning.replace(/:.*/, '')), ['journal line 1 skipped', 'journal line 2 skipped', 'journal line 4 skipped', 'journal line 5 skipped']);
    assert.match(journal.warnings[1], /unsupported version 99/);
    assert.match(journal.warnings[2], /not usable as a folder name/);
    assert.match(journal.warnings[3], /unsafe item id: \.\.\/\.\.\/outside\.png/);
  });

  it('compacts to the entries the state needs, through an atomic rename, without changing the state', async () => {
    const { root, byId } = await openFixture();
    const journal = await LabelJournal.open(root);
    for (const label of ['NORMAL', 'COVID', 'NORMAL']) await journal.relabel(byId('COVID/img0.png'), label);
    await journal.flag(byId('COVID/img1.png'));
    await journal.unflag(byId('COVID/img1.png'));
    await fs.appendFile(journal.file, 'torn');
    const before = await fs.stat(journal.file);
    const other = await LabelJournal.open(root);
    const stateBefore = JSON.stringify([...journal.state.overrides]);
    assert.deepEqual(await journal.compact(), { before: 5, after: 2 });
    assert.notEqual((await fs.stat(journal.file)).ino, before.ino, 'a new file replaced the old one');
    assert.equal(JSON.stringify([...(await LabelJournal.open(root)).state.overrides]), stateBefore);
    assert.deepEqual(journal.warnings, []);
    // Another open journal notices the replacement and reloads instead of reading at a stale offset.
    await other.relabel(byId('NORMAL/img0.png'), 'COVID');
    assert.deepEqual((await readJournal(root)).entries.map((entry) => entry.item), ['COVID/img0.png', 'COVID/img1.png', 'NORMAL/img0.png']);
    assert.equal(other.entries.length, 3);
  });

  it('lets two journals on one dataset append concurrently without losing or tearing lines', async () => {
    const { root, dataset } = await openFixture();
    const [a, b] = await Promise.all([LabelJournal.open(root, { user: 'a' }), LabelJournal.open(root, { user: 'b' })]);
    const seen: JournalEntry[] = [];
    b.onDidChange((added) => seen.push(...added));
    const writes = dataset.items.flatMap((item, i) => [a.relabel(item, i % 2 ? 'COVID' : 'NORMAL'), b.flag(item), a.note(item, `n${i}`), b.unflag(item)]);
    await Promise.all(writes);
    await Promise.all([a.refresh(), b.refresh()]);
    const contents = await readJournal(root);
    assert.deepEqual(contents.warnings, []);
    assert.equal(contents.entries.length, dataset.items.length * 4);
    assert.equal(new Set(contents.entries.map((entry) => entry.id)).size, contents.entries.length);
    assert.equal(a.entries.length, contents.entries.length);
    assert.equal(b.entries.length, contents.entries.length);
    assert.deepEqual(JSON.stringify([...a.state.overrides]), JSON.stringify([...b.state.overrides]));
    assert.equal(seen.length, contents.entries.length, 'b heard about its own and a\'s entries once each');
  });

  it('hears about another writer\'s entries through watchForOtherWriters, even when it starts the journal', async () => {
    const { root, byId } = await openFixture();
    const watching = await LabelJournal.open(root);
    const stop = watching.watchForOtherWriters();
    try {
      const heard = new Promise<readonly JournalEntry[]>((resolve) => watching.onDidChange(resolve));
      const writer = await LabelJournal.open(root);
      const [entry] = await writer.relabel(byId('COVID/img0.png'), 'NORMAL');
      const added = await heard;
      assert.deepEqual(added.map((e) => e.id), [entry.id]);
      assert.equal(watching.state.overrides.get('COVID/img0.png')?.label, 'NORMAL');
    } finally {
      stop();
    }
  });

  it('takes over a lock left by a killed process', async () => {
    const { root, byId } = await openFixture();
    const journal = await LabelJournal.open(root, { user: 'alice' });
    const lock = path.join(root, '.xray-curator', 'journals', 'alice.lock');
    await fs.mkdir(path.dirname(lock), { recursive: true });
    // pid 2^22 + 1 is above Linux's pid_max limit, so no live process has it.
    await fs.writeFile(lock, JSON.stringify({ pid: 4_194_305, time: Date.now(), token: 'dead' }));
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    assert.equal(journal.entries.length, 1);
    await assert.rejects(fs.access(lock));
  });

  it('takes over a damaged (empty) lock file once it is a few seconds old', async () => {
    const { root, byId } = await openFixture();
    const lock = path.join(root, '.xray-curator', 'journals', 'alice.lock');
    await fs.mkdir(path.dirname(lock), { recursive: true });
    await fs.writeFile(lock, '');
    const old = new Date(Date.now() - 5_000);
    await fs.utimes(lock, old, old);
    const journal = await LabelJournal.open(root, { user: 'alice' });
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    assert.equal(journal.entries.length, 1);
  });

  it('keeps the edits of a read-only dataset folder in its stand-in folder in the user cache, never in the dataset', async () => {
    const { root, byId } = await openFixture();
    const cache = await makeTempDir('xray-cache-');
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    await fs.chmod(root, 0o555);
    try {
      const stateDir = stateDirOf(root);
      assert.ok(stateDir.startsWith(path.join(cache, 'xray-curator', 'datasets')), stateDir);
      const journal = await LabelJournal.open(root, { user: 'alice' });
      await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
      await assert.rejects(fs.access(path.join(root, '.xray-curator', 'journals')));
      const lines = (await fs.readFile(path.join(stateDir, 'journals', 'alice.jsonl'), 'utf8')).trim().split('\n');
      assert.equal(lines.length, 1);
      const reopened = await openDataset(root);
      assert.equal(reopened.items.find((item) => item.id === 'COVID/img0.png')?.label, 'NORMAL');
    } finally {
      await fs.chmod(root, 0o755);
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });

});
