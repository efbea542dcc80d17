import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset } from '../../../../src/dataset';
import type { Dataset, DatasetItem } from '../../../../src/dataset';
import { exportMultiLabel, importMultiLabel } from '../../../../src/dataset/multilabel';
import { parsePythonList, pythonList } from '../../../../src/dataset/multilabel/padchest';
import { makeTempDir, removeTempDirs } from '../fixtures';
import { chexpertFolder, MIMIC_DICOM, mimicFolder, PADCHEST_IMAGES, padchestFolder, readText, VINDR_FINDINGS, VINDR_IMAGES, vindrFolder } from './fixtures';

function item(dataset: Dataset, id: string): DatasetItem {
  const found = dataset.items.find((candidate) => candidate.id === id);
  assert.ok(found, `no item ${id} in ${dataset.items.map((i) => i.id).join(', ')}`);
  return found;
}

/** Exports unchanged, then with `edit` applied; returns both exported texts by file name. */
async function exportTwice(dataset: Dataset, edit: (d: Dataset) => void): Promise<{ same: Map<string, string>; curated: Map<string, string>; warnings: string[]; changed: number }> {
  const out = await makeTempDir('xray-ml-export-');
  const read = async (files: string[]): Promise<Map<string, string>> => new Map(await Promise.all(files.map(async (f) => [path.basename(f), await readText(f)] as [string, string])));
  const same = await exportMultiLabel(dataset.root, dataset.items, path.join(out, 'same'));
  assert.equal(same.changedRecords, 0);
  edit(dataset);
  const curated = await exportMultiLabel(dataset.root, dataset.items, path.join(out, 'curated'));
  return { same: await read(same.files), curated: await read(curated.files), warnings: curated.warnings, changed: curated.changedRecords };
}

describe('multi-label importers and exporters (fixture files as distributed)', () => {
  after(removeTempDirs);

  it('CheXpert: train.csv + valid.csv, Path prefix, views, 1/0/-1/blank, a row without its image', async () => {
    const root = await chexpertFolder();
    const dataset = await openDataset(root);
    assert.equal(dataset.multiLabel?.format, 'chexpert');
    assert.deepEqual(dataset.multiLabel?.labelFiles.map((f) => path.basename(f)), ['train.csv', 'valid.csv']);
    assert.equal(dataset.multiLabel?.findings.length, 14);
    assert.deepEqual(dataset.classes, []);
    const frontal = item(dataset, 'train/patient00002/study2/view1_frontal.jpg');
    assert.deepEqual(frontal.metadata, { split: 'train', patient_id: 'patient00002', study_id: 'patient00002/study2', view: 'AP', sex: 'Female', age: '87' });
    assert.equal(frontal.findings?.Cardiomegaly, 'uncertain');
    assert.equal(frontal.findings?.['Lung Opacity'], 'positive');
    assert.equal(frontal.findings?.Pneumonia, 'unmentioned');
    assert.equal(item(dataset, 'train/patient00001/study1/view1_frontal.jpg').findings?.Pneumothorax, 'negative');
    assert.equal(item(dataset, 'train/patient00002/study1/view2_lateral.jpg').metadata.view, 'Lateral');
    assert.equal(item(dataset, 'valid/patient64541/study1/view1_frontal.jpg').metadata.split, 'validation');
    assert.deepEqual(dataset.problems.map((p) => p.where), ['train.csv:5']);
    assert.match(dataset.problems[0].reason, /no image file at train\/patient00003/);

    const { same, curated, changed } = await exportTwice(dataset, (d) => {
      item(d, 'train/patient00002/study2/view1_frontal.jpg').findings!.Cardiomegaly = 'positive';
      item(d, 'train/patient00002/study2/view1_frontal.jpg').findings!.Pneumonia = 'negative';
    });
    assert.equal(same.get('train.csv'), await fs.readFile(path.join(root, 'train.csv'), 'utf8'));
    assert.equal(same.get('valid.csv'), await fs.readFile(path.join(root, 'valid.csv'), 'utf8'));
    assert.equal(changed, 1);
    assert.equal(curated.get('train.csv')!.split('\n')[2], 'CheXpert-v1.0-small/train/patient00002/study2/view1_frontal.jpg,Female,87,Frontal,AP,,,1.0,1.0,,-1.0,-1.0,0.0,-1.0,,-1.0,,1.0,');
  });

  it('MIMIC-CXR-JPG: study labels on every image through metadata.csv.gz, split.csv.gz, the CheXpert labeller over NegBio', async () => {
    const root = await mimicFolder();
    const dataset = await openDataset(root);
    assert.equal(dataset.multiLabel?.format, 'mimic');
    assert.deepEqual(dataset.multiLabel?.labelFiles.map((f) => path.basename(f)), ['mimic-cxr-2.0.0-chexpert.csv.gz']);
    const pa = item(dataset, `files/p10/p10000032/s50414267/${MIMIC_DICOM.pa}.jpg`);
    const lateral = item(dataset, `files/p10/p10000032/s50414267/${MIMIC_DICOM.lateral}.jpg`);
    const other = item(dataset, `files/p10/p10000032/s53189527/${MIMIC_DICOM.other}.jpg`);
    assert.equal(pa.findings?.['No Finding'], 'positive');
    assert.deepEqual(lateral.findings, pa.findings, 'both images of the study carry its labels');
    assert.deepEqual(pa.metadata, { patient_id: '10000032', study_id: '50414267', view: 'PA', split: 'train' });
    assert.equal(lateral.metadata.view, 'LATERAL');
    assert.deepEqual([other.findings?.Atelectasis, other.findings?.Cardiomegaly, other.findings?.Edema, other.metadata.split], ['positive', 'uncertain', 'negative', 'validation']);
    assert.deepEqual(dataset.problems, [{ where: 'mimic-cxr-2.0.0-chexpert.csv.gz:4', reason: 'no image file of study s57375967 (subject p10000764)' }]);
    const negbio = await openDataset(root, { multiLabel: { labelFile: 'mimic-cxr-2.0.0-negbio.csv.gz' } });
    assert.deepEqual(negbio.multiLabel?.labelFiles.map((f) => path.basename(f)), ['mimic-cxr-2.0.0-negbio.csv.gz']);

    // Without the metadata file the folder layout gives each study's images.
    await fs.rm(path.join(root, 'mimic-cxr-2.0.0-metadata.csv.gz'));
    const byLayout = await importMultiLabel(root, dataset.items.map((i) => i.id));
    assert.equal(byLayout?.items.length, 3);

    const { same, curated, warnings } = await exportTwice(dataset, (d) => {
      item(d, `files/p10/p10000032/s50414267/${MIMIC_DICOM.pa}.jpg`).findings!.Pneumothorax = 'uncertain';
      item(d, `files/p10/p10000032/s53189527/${MIMIC_DICOM.other}.jpg`).findings!.Cardiomegaly = 'negative';
    });
    assert.equal(same.get('mimic-cxr-2.0.0-chexpert.csv.gz'), await readText(path.join(root, 'mimic-cxr-2.0.0-chexpert.csv.gz')));
    assert.deepEqual(curated.get('mimic-cxr-2.0.0-chexpert.csv.gz')!.split('\n').slice(1, 3), ['10000032,50414267,,,,,,,,,1.0,,,,-1.0,', '10000032,53189527,1.0,0.0,,0.0,,,,,,,,,,']);
    assert.match(warnings.join('\n'), /curated differently for 1 finding/, 'the lateral image still says unmentioned');
  });

  it('VinDr-CXR: one row per reader kept, majority consensus, a curated finding written into every reader row', async () => {
    const root = await vindrFolder();
    const dataset = await openDataset(root);
    assert.equal(dataset.multiLabel?.format, 'vindr');
    assert.deepEqual(dataset.multiLabel?.findings, VINDR_FINDINGS);
    const a = item(dataset, `train/${VINDR_IMAGES.a}.png`);
    const b = item(dataset, `train/${VINDR_IMAGES.b}.png`);
    assert.deepEqual([a.findings?.Cardiomegaly, a.findings?.['Other diseases'], a.findings?.['No finding']], ['positive', 'negative', 'negative']);
    assert.deepEqual([b.findings?.['No finding'], b.findings?.['Pleural effusion']], ['positive', 'negative']);
    const imported = await importMultiLabel(root, dataset.items.map((i) => i.id));
    const readers = imported!.items.find((i) => i.id === a.id)!.readers!;
    assert.deepEqual(Object.keys(readers), ['R8', 'R9', 'R10']);
    assert.equal(readers.R10.Cardiomegaly, 'negative');
    assert.deepEqual(dataset.problems, []);

    const { same, curated, changed } = await exportTwice(dataset, (d) => {
      item(d, `train/${VINDR_IMAGES.b}.png`).findings!['Pleural effusion'] = 'positive';
    });
    assert.equal(same.get('image_labels_train.csv'), await fs.readFile(path.join(root, 'image_labels_train.csv'), 'utf8'));
    assert.equal(changed, 2, 'R2 and R3 said 0; R5 already said 1');
    const effusion = VINDR_FINDINGS.indexOf('Pleural effusion') + 2;
    const rows = curated.get('image_labels_train.csv')!.trim().split('\n').slice(4).map((line) => line.split(','));
    assert.deepEqual(rows.map((r) => [r[1], r[effusion]]), [['R2', '1'], ['R3', '1'], ['R5', '1']]);
  });

  it('PadChest: Labels as Python list strings, ImageDir folders, age from birth year and study date', async () => {
    const root = await padchestFolder();
    const dataset = await openDataset(root);
    assert.equal(dataset.multiLabel?.format, 'padchest');
    assert.deepEqual(dataset.multiLabel?.findings, ['cardiomegaly', 'costophrenic angle blunting', 'pleural effusion']);
    const normal = item(dataset, `0/${PADCHEST_IMAGES.normal}`);
    const effusion = item(dataset, `0/${PADCHEST_IMAGES.effusion}`);
    const empty = item(dataset, `4/${PADCHEST_IMAGES.empty}`);
    assert.deepEqual(normal.findings, { cardiomegaly: 'negative', 'costophrenic angle blunting': 'negative', 'pleural effusion': 'negative' });
    assert.equal(effusion.findings?.['pleural effusion'], 'positive');
    assert.equal(empty.findings?.cardiomegaly, 'unmentioned', 'a row without labels says nothing');
    assert.deepEqual(effusion.metadata, { patient_id: '1055', study_id: '216840111366964012373310883942009117084022290', view: 'PA', sex: 'F', age: '64' });
    assert.equal(empty.metadata.view, 'L');

    const { same, curated } = await exportTwice(dataset, (d) => {
      item(d, `0/${PADCHEST_IMAGES.effusion}`).findings!.cardiomegaly = 'negative';
      item(d, `0/${PADCHEST_IMAGES.normal}`).findings!['pleural effusion'] = 'positive';
    });
    const file = 'PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv';
    assert.equal(same.get(file), await fs.readFile(path.join(root, file), 'utf8'));
    const lines = curated.get(file)!.split('\n');
    assert.match(lines[1], /,PA,Manual review of DICOM fields,\['pleural effusion'\],\[\],/);
    assert.match(lines[2], /,"\['pleural effusion', 'costophrenic angle blunting'\]",\['loc left'\],"\[\['pleural effusion'/, 'only the Labels cell changes');
  });

  it('parses and prints Python list literals as Python does', () => {
    assert.deepEqual(parsePythonList("['a', \"b's\", 'c\\'d']"), ['a', "b's", "c'd"]);
    assert.deepEqual(parsePythonList('[]'), []);
    assert.equal(parsePythonList('pneumonia'), null);
    assert.equal(pythonList(['a', "b's"]), `['a', "b's"]`);
  });
});
