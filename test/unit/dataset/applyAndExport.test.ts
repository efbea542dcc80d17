import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { applyToFolders, exportCurated, LabelJournal, openDataset, planApplyToFolders } from '../../../src/dataset';
import type { Dataset, DatasetItem } from '../../../src/dataset';
import { makeClassFolders, makeTempDir, pngBytes, removeTempDirs, writeFile } from './fixtures';

async function fixture(): Promise<{ root: string; dataset: Dataset; journal: LabelJournal; byId: (id: string) => DatasetItem }> {
  const root = await makeTempDir('xray-apply-');
  await makeClassFolders(root, { COVID: 2, NORMAL: 2 });
  await writeFile(root, 'unlabeled/u.png', await pngBytes(77));
  await writeFile(root, 'manifest.csv', 'path,label,patient_id\nCOVID/img0.png,COVID,p1\nNORMAL/img0.png,NORMAL,p2\n');
  const dataset = await openDataset(root);
  const journal = await LabelJournal.open(root);
  const byId = (id: string): DatasetItem => dataset.items.find((item) => item.id === id)!;
  return { root, dataset, journal, byId };
}

const exists = (file: string): Promise<boolean> => fs.access(file).then(() => true, () => false);

describe('apply labels to folders', () => {
  after(removeTempDirs);

  it('plans without touching anything, then moves as one undoable, recorded step', async () => {
    const { root, journal, byId } = await fixture();
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    await journal.relabel(byId('unlabeled/u.png'), 'COVID');
    await journal.relabel(byId('NORMAL/img1.png'), null);
    const reopened = await openDataset(root);
    const plan = await planApplyToFolders(reopened);
    // NORMAL/img0.png exists, so the moved COVID/img0.png gets a fresh name.
    assert.deepEqual(plan, [
      { from: 'COVID/img0.png', to: 'NORMAL/img0-1.png', label: 'NORMAL' },
      { from: 'NORMAL/img1.png', to: 'unlabeled/img1.png', label: null },
      { from: 'unlabeled/u.png', to: 'COVID/u.png', label: 'COVID' },
    ]);
    assert.ok(await exists(path.join(root, 'COVID', 'img0.png')), 'the dry run moved nothing');

    const entries = await applyToFolders(reopened, journal, plan);
    assert.equal(entries.length, 3);
    assert.equal(new Set(entries.map((entry) => entry.group)).size, 1);
    assert.ok(await exists(path.join(root, 'NORMAL', 'img0-1.png')));
    assert.ok(!(await exists(path.join(root, 'COVID', 'img0.png'))));
    assert.ok(reopened.items.some((item) => item.id === 'NORMAL/img0-1.png' && item.absPath === path.join(root, 'NORMAL', 'img0-1.png')));

    const afterMove = await openDataset(root);
    const moved = afterMove.items.find((item) => item.id === 'NORMAL/img0-1.png')!;
    assert.equal(moved.label, 'NORMAL');
    assert.deepEqual(moved.metadata, { patient_id: 'p1' }, 'the manifest row follows the moved file');
    assert.deepEqual(afterMove.problems, []);
    assert.deepEqual(await planApplyToFolders(afterMove), [], 'nothing left to move');

    await journal.undo();
    assert.ok(await exists(path.join(root, 'COVID', 'img0.png')));
    assert.ok(await exists(path.join(root, 'unlabeled', 'u.png')));
    const afterUndo = await openDataset(root);
    const back = afterUndo.items.find((item) => item.id === 'COVID/img0.png')!;
    assert.deepEqual([back.label, back.metadata.patient_id], ['NORMAL', 'p1']);
    assert.deepEqual(afterUndo.problems, []);
  });

  it('keeps moved files\' labels and manifest rows through a journal compaction', async () => {
    const { root, journal, byId } = await fixture();
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    await journal.relabel(byId('COVID/img0.png'), 'PNEUMONIA');
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    const dataset = await openDataset(root);
    await applyToFolders(dataset, journal, await planApplyToFolders(dataset));
    const { before, after } = await journal.compact();
    assert.deepEqual([before, after], [4, 2]);
    const reopened = await openDataset(root);
    const moved = reopened.items.find((item) => item.id === 'NORMAL/img0-1.png');
    assert.deepEqual([moved?.label, moved?.metadata.patient_id], ['NORMAL', 'p1']);
    assert.deepEqual(reopened.problems, []);
  });

  it('records only the moves that happened when one fails', async () => {
    const { root, journal, byId } = await fixture();
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    await journal.relabel(byId('COVID/img1.png'), 'NORMAL');
    const dataset = await openDataset(root);
    const plan = await planApplyToFolders(dataset);
    assert.equal(plan.length, 2);
    // Something appears at the second destination after the plan was made.
    await writeFile(root, plan[1].to, 'late arrival');
    await assert.rejects(applyToFolders(dataset, journal, plan), /cannot move COVID\/img1\.png/);
    assert.deepEqual(journal.entries.filter((entry) => entry.kind === 'move').map((entry) => entry.new), [plan[0].to]);
    assert.equal(await fs.readFile(path.join(root, ...plan[1].to.split('/')), 'utf8'), 'late arrival', 'nothing overwritten');
    assert.ok(dataset.items.some((item) => item.id === plan[0].to));
    assert.ok(dataset.items.some((item) => item.id === 'COVID/img1.png'));
  });
});

describe('export curated dataset', () => {
  after(removeTempDirs);

  it('writes class folders with hard links, skipping flagged, unlabelled and broken items', async () => {
    const { root, journal, byId } = await fixture();
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    await journal.flag(byId('COVID/img1.png'));
    await writeFile(root, 'COVID/broken.png', 'text');
    const dataset = await openDataset(root);
    const target = path.join(await makeTempDir('xray-export-'), 'out');
    const report = await exportCurated(dataset, target, { format: 'folders' });
    assert.equal(report.exported, 3);
    assert.equal(report.linked, 3);
    assert.deepEqual(report.skipped.map((s) => `${s.id}: ${s.reason.split(':')[0]}`).sort(), ['COVID/broken.png: unusable', 'COVID/img1.png: flagged', 'unlabeled/u.png: unlabelled']);
    assert.deepEqual((await fs.readdir(path.join(target, 'NORMAL'))).sort(), ['img0-1.png', 'img0.png', 'img1.png']);
    const source = await fs.stat(path.join(root, 'NORMAL', 'img1.png'));
    assert.equal((await fs.stat(path.join(target, 'NORMAL', 'img1.png'))).ino, source.ino);
    await assert.rejects(exportCurated(dataset, target, { format: 'folders' }), /not empty/);
    await assert.rejects(exportCurated(dataset, path.join(root, 'export'), { format: 'folders' }), /inside the dataset/);
  });

  it('writes a CSV that reads back as a manifest', async () => {
    const { root, journal, byId } = await fixture();
    await journal.relabel(byId('COVID/img0.png'), 'NORMAL');
    const dataset = await openDataset(root);
    const target = path.join(await makeTempDir('xray-export-'), 'curated.csv');
    await exportCurated(dataset, target, { format: 'csv' });
    const rows = parse(await fs.readFile(target), { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]), ['path', 'label', 'hash', 'patient_id']);
    assert.deepEqual(rows.find((row) => row.path === 'COVID/img0.png'), { path: 'COVID/img0.png', label: 'NORMAL', hash: byId('COVID/img0.png').hash, patient_id: 'p1' });
    assert.equal(rows.length, 4);
    const viaManifest = await openDataset(root, { manifest: target });
    assert.equal(viaManifest.items.find((item) => item.id === 'COVID/img0.png')?.sourceLabel, 'NORMAL');
  });

  it('keeps commas, quotes, line breaks and edge spaces of metadata through the CSV and back', async () => {
    const root = await makeTempDir('xray-export-odd-');
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    const awkward = ['Smith, "Jo"', 'line one\nline two', ' padded '];
    await writeFile(root, 'manifest.csv', `path,label,note\nCOVID/img0.png,COVID,"${awkward[0].replace(/"/g, '""')}"\nNORMAL/img0.png,NORMAL,"${awkward[1]}"\n`);
    const dataset = await openDataset(root);
    dataset.items.find((item) => item.id === 'NORMAL/img0.png')!.metadata.source = awkward[2];
    const target = path.join(await makeTempDir('xray-export-'), 'odd.csv');
    await exportCurated(dataset, target, { format: 'csv' });
    const reread = await openDataset(root, { manifest: target });
    const metadata = (id: string): Record<string, string> => reread.items.find((item) => item.id === id)!.metadata;
    assert.equal(metadata('COVID/img0.png').note, awkward[0]);
    assert.equal(metadata('NORMAL/img0.png').note, awkward[1]);
    assert.equal(metadata('NORMAL/img0.png').source, awkward[2]);
  });
});
