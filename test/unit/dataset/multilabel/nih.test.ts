import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset } from '../../../../src/dataset';
import { exportMultiLabel, importMultiLabel, NIH_FINDINGS } from '../../../../src/dataset/multilabel';
import { readTable } from '../../../../src/dataset/multilabel/csvTable';
import { NIH14_DIR } from '../../../support/shared';
import { makeClassFolders, makeTempDir, pngBytes, removeTempDirs, writeFile } from '../fixtures';
import { mirrorFolder } from '../../../support/mirror';
import type { Mirror } from '../../../support/mirror';

const NIH_CSV = path.join(NIH14_DIR, 'Data_Entry_2017.csv');

/** The CSV's rows read the plain way (NIH's rows have no quoted fields): image, labels, patient. */
async function nihRows(): Promise<{ image: string; labels: string[]; patient: string; age: string }[]> {
  const lines = (await fs.readFile(NIH_CSV, 'utf8')).trim().split('\n').slice(1);
  return lines.map((line) => {
    const f = line.split(',');
    return { image: f[0], labels: f[1].split('|'), patient: f[3], age: f[4] };
  });
}

// On a mirror of the shared folder: opening a dataset writes its state folder, never into ../shared.
describe('NIH ChestX-ray14 import (../shared/data/nih14-multilabel)', () => {
  let nih: Mirror;
  before(() => {
    nih = mirrorFolder(NIH14_DIR);
  });
  after(async () => {
    nih?.remove();
    await removeTempDirs();
  });

  it('opens the folder as it is as a multi-label dataset with NIH’s findings and metadata', async () => {
    const dataset = await openDataset(nih.root);
    const rows = await nihRows();
    assert.equal(dataset.items.length, 321);
    assert.equal(rows.length, 321);
    assert.deepEqual(dataset.classes, [], 'images/ is not a class');
    assert.equal(dataset.multiLabel?.format, 'nih');
    assert.deepEqual(dataset.multiLabel?.findings, NIH_FINDINGS);
    assert.deepEqual(dataset.problems, []);
    assert.deepEqual(dataset.warnings, []);
    const byImage = new Map(rows.map((row) => [row.image, row]));
    for (const item of dataset.items) {
      const row = byImage.get(item.id.replace('images/', ''));
      assert.ok(row, item.id);
      assert.equal(item.label, null);
      assert.equal(item.metadata.patient_id, row.patient);
      assert.equal(item.metadata.age, row.age);
      for (const finding of NIH_FINDINGS) assert.equal(item.findings?.[finding], row.labels.includes(finding) ? 'positive' : 'negative', `${item.id} ${finding}`);
    }
    const pneumonia = dataset.items.filter((item) => item.findings?.Pneumonia === 'positive').length;
    assert.equal(pneumonia, rows.filter((row) => row.labels.includes('Pneumonia')).length);
    const none = dataset.items.filter((item) => Object.values(item.findings ?? {}).every((s) => s === 'negative')).length;
    assert.equal(none, rows.filter((row) => row.labels[0] === 'No Finding').length);
  });

  it('names the bracketed header columns one per value, matching the row length', async () => {
    const table = await readTable(NIH_CSV);
    assert.deepEqual(table.columns.slice(7), ['OriginalImage[Width]', 'OriginalImage[Height]', 'OriginalImagePixelSpacing[x]', 'OriginalImagePixelSpacing[y]']);
    for (const record of table.records) assert.equal(record.length, table.columns.length);
    assert.equal(table.headerLine, (await fs.readFile(NIH_CSV, 'utf8')).split('\n')[0]);
  });

  it('exports Data_Entry_2017.csv byte for byte when nothing changed, and with the corrected finding otherwise', async () => {
    const dataset = await openDataset(nih.root);
    const out = await makeTempDir('xray-nih-export-');
    const unchanged = await exportMultiLabel(nih.root, dataset.items, path.join(out, 'same'));
    assert.equal(unchanged.changedRecords, 0);
    assert.deepEqual(await fs.readFile(unchanged.files[0]), await fs.readFile(NIH_CSV));

    const item = dataset.items.find((i) => i.id === 'images/00000150_002.png')!;
    item.findings = { ...item.findings!, Pneumonia: 'negative', Edema: 'positive' };
    const report = await exportMultiLabel(nih.root, dataset.items, path.join(out, 'curated'));
    assert.equal(report.changedRecords, 1);
    const before = (await fs.readFile(NIH_CSV, 'utf8')).split('\n');
    const after = (await fs.readFile(report.files[0], 'utf8')).split('\n');
    assert.equal(after.length, before.length);
    const changed = after.flatMap((line, i) => (line !== before[i] ? [line] : []));
    assert.deepEqual(changed, ['00000150_002.png,Atelectasis|Edema|Infiltration,2,150,55,F,AP,3056,2544,0.139,0.139']);
    const reread = await importMultiLabel(path.join(out, 'curated'), dataset.items.map((i) => i.id));
    const again = reread!.items.find((i) => i.id === item.id)!;
    assert.deepEqual(again.findings, item.findings);

    item.findings = { ...item.findings, Atelectasis: 'negative', Edema: 'negative', Infiltration: 'uncertain' };
    const none = await exportMultiLabel(nih.root, dataset.items, path.join(out, 'none'));
    assert.match((await fs.readFile(none.files[0], 'utf8')).split('\n')[1], /^00000150_002\.png,No Finding,2,/);
    assert.match(none.warnings.join('\n'), /cannot hold/, 'uncertain has no place in an NIH file');
    await assert.rejects(exportMultiLabel(nih.root, dataset.items, path.join(nih.root, 'x')), /inside the dataset folder/);
  });

  it('reads the first release (trailing comma, 058Y ages), the split lists, and reports rows without an image', async () => {
    const root = await makeTempDir('xray-nih-');
    for (const [i, name] of ['00000001_000.png', '00000001_001.png', '00000002_000.png', '00000099_000.png'].entries()) {
      if (i < 3) await writeFile(root, `images_001/images/${name}`, await pngBytes(i));
    }
    await writeFile(root, 'images_001/images/extra.png', await pngBytes(9));
    const csv = [
      'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y],',
      '00000001_000.png,Cardiomegaly,0,1,058Y,M,PA,2682,2749,0.143,0.143,',
      '00000001_001.png,Cardiomegaly|Emphysema,1,1,058Y,M,PA,2894,2729,0.143,0.143,',
      '00000002_000.png,No Finding,0,2,081Y,M,PA,2500,2048,0.168,0.168,',
      '00000099_000.png,Hernia,0,99,040Y,F,AP,2500,2048,0.168,0.168,',
      '',
    ].join('\r\n');
    await writeFile(root, 'Data_Entry_2017.csv', csv);
    await writeFile(root, 'train_val_list.txt', '00000001_000.png\n00000001_001.png\n');
    await writeFile(root, 'test_list.txt', '00000002_000.png\n');
    const dataset = await openDataset(root);
    assert.equal(dataset.multiLabel?.format, 'nih');
    const byId = new Map(dataset.items.map((item) => [item.id, item]));
    assert.deepEqual(byId.get('images_001/images/00000001_001.png')?.metadata, { patient_id: '1', view: 'PA', sex: 'M', age: '58', split: 'train' });
    assert.equal(byId.get('images_001/images/00000002_000.png')?.metadata.split, 'test');
    assert.equal(byId.get('images_001/images/00000001_001.png')?.findings?.Emphysema, 'positive');
    assert.equal(byId.get('images_001/images/extra.png')?.findings?.Cardiomegaly, 'unmentioned');
    assert.deepEqual(dataset.problems, [{ where: 'Data_Entry_2017.csv:5', reason: 'no image file for 00000099_000.png' }]);
    assert.match(dataset.warnings.join('\n'), /1 image\(s\) have no row in Data_Entry_2017\.csv/);

    const out = await makeTempDir('xray-nih-export-');
    const report = await exportMultiLabel(root, dataset.items, out);
    assert.equal(await fs.readFile(report.files[0], 'utf8'), csv, 'CRLF, trailing commas and the header survive');
  });

  it('leaves single-label folders as they are, and reads a label file chosen by name', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    await writeFile(root, 'notes.csv', 'a,b\n1,2\n');
    const plain = await openDataset(root);
    assert.equal(plain.multiLabel, undefined);
    assert.deepEqual(plain.classes, ['COVID', 'NORMAL']);
    assert.ok(plain.items.every((item) => item.findings === undefined && item.label !== null));

    await writeFile(root, 'manifest.csv', 'path,label\nCOVID/img0.png,COVID\n');
    await writeFile(root, 'labels-v2.csv', 'Image Index,Finding Labels,Patient ID\nimg0.png,Edema,7\n');
    const withManifest = await openDataset(root);
    assert.equal(withManifest.multiLabel, undefined, 'a manifest makes the folder single-label');
    const chosen = await openDataset(root, { multiLabel: { format: 'nih', labelFile: 'labels-v2.csv' } });
    assert.equal(chosen.multiLabel?.format, 'nih');
    assert.match(chosen.problems.map((p) => p.reason).join('\n'), /2 image files match img0\.png/);
    await assert.rejects(openDataset(root, { multiLabel: { format: 'chexpert' } }), /no chexpert label file found/);
  });
});
