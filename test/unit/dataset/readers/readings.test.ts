import * as assert from 'node:assert/strict';
import { LabelJournal, openDataset, readJournal } from '../../../../src/dataset';
import { datasetReadings, journalReadings } from '../../../../src/dataset/readers';
import { makeClassFolders, makeTempDir, removeTempDirs } from '../fixtures';
import { VINDR_FINDINGS, VINDR_IMAGES, vindrFolder } from '../multilabel/fixtures';

const labelsOf = (readings: { item: string; reader: string; value: string }[]): string[] => readings.map((r) => `${r.reader} ${r.item} ${r.value}`).sort();

describe('readings of a dataset', () => {
  after(removeTempDirs);

  it("a journal reader's reading is their latest relabel not undone; undo, redo, unlabel and moves are followed", async () => {
    const root = await makeTempDir('xray-readers-');
    await makeClassFolders(root, { COVID: 2, NORMAL: 1 });
    const dataset = await openDataset(root);
    const [covid0, covid1, normal0] = ['COVID/img0.png', 'COVID/img1.png', 'NORMAL/img0.png'].map((id) => dataset.items.find((item) => item.id === id)!);
    const a = await LabelJournal.open(root, { user: 'A' });
    const b = await LabelJournal.open(root, { user: 'B' });
    await a.relabel(covid0, 'NORMAL');
    await b.relabel(covid0, 'COVID');
    await a.relabel(covid0, 'PNEUMONIA');
    await a.undo(); // A's reading of covid0 is NORMAL again
    await b.relabel(covid1, 'NORMAL');
    await b.undo();
    await b.redo(); // B's reading of covid1 is NORMAL (the redo is a reading of its own)
    await a.relabel(normal0, 'COVID');
    await a.relabel(normal0, null); // A withdrew their reading of normal0
    await b.relabel(normal0, 'NORMAL');
    await b.record([{ kind: 'move', item: normal0, value: 'COVID/moved.png' }]);
    const { entries } = await readJournal(root);
    assert.deepEqual(labelsOf(journalReadings(entries).labels), ['A COVID/img0.png NORMAL', 'B COVID/img0.png COVID', 'B COVID/img1.png NORMAL', 'B COVID/moved.png NORMAL']);

    const readings = await datasetReadings(await openDataset(root), entries);
    assert.equal(readings.kind, 'single-label');
    assert.deepEqual(readings.kind === 'single-label' && readings.classes, ['COVID', 'NORMAL']);
    assert.deepEqual(labelsOf(readings.readings as never), labelsOf(journalReadings(entries).labels));
  });

  it("undoing every edit leaves no reading, and the folder label is nobody's reading", async () => {
    const root = await makeTempDir('xray-readers-');
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    const item = (await openDataset(root)).items[0];
    const journal = await LabelJournal.open(root, { user: 'A' });
    await journal.relabel(item, 'NORMAL');
    await journal.undo();
    const readings = await datasetReadings(await openDataset(root), (await readJournal(root)).entries);
    assert.deepEqual(readings.readings, []);
  });

  it("VinDr-CXR: every rad_id is a reader with their own row; a journal reader of the same name corrects a finding on top", async () => {
    const root = await vindrFolder();
    let dataset = await openDataset(root);
    const imageA = dataset.items.find((item) => item.id === `train/${VINDR_IMAGES.a}.png`)!;
    await (await LabelJournal.open(root, { user: 'R10' })).setFinding(imageA, 'Cardiomegaly', 'positive');
    dataset = await openDataset(root);
    const readings = await datasetReadings(dataset, (await readJournal(root)).entries);
    assert.equal(readings.kind, 'multi-label');
    if (readings.kind !== 'multi-label') return;
    assert.deepEqual(readings.findings, VINDR_FINDINGS);
    assert.deepEqual(readings.readings.map((r) => `${r.reader} ${r.item}`).sort(), [
      `R10 train/${VINDR_IMAGES.a}.png`, `R2 train/${VINDR_IMAGES.b}.png`, `R3 train/${VINDR_IMAGES.b}.png`,
      `R5 train/${VINDR_IMAGES.b}.png`, `R8 train/${VINDR_IMAGES.a}.png`, `R9 train/${VINDR_IMAGES.a}.png`,
    ]);
    const find = (reader: string) => readings.readings.find((r) => r.reader === reader)!.value;
    // The file: R8 Cardiomegaly + Other diseases, R9 Cardiomegaly, R10 No finding; R10 then saw cardiomegaly in the tool.
    assert.deepEqual([find('R8').Cardiomegaly, find('R9').Cardiomegaly, find('R10').Cardiomegaly, find('R10')['No finding']], ['positive', 'positive', 'positive', 'positive']);
    assert.equal(find('R8')['Other diseases'], 'positive');
    assert.equal(find('R9')['Other diseases'], 'negative');
    assert.equal(Object.keys(find('R5')).length, VINDR_FINDINGS.length);
  });
});
