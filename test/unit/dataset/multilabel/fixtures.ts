// Small copies of the public multi-label sets as distributed: label files with their documented headers and
// cell styles, image files at the paths the files name.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { makeTempDir, writeFile } from '../fixtures';

let seed = 0;

/** A small greyscale JPEG, distinct per call. */
export async function jpegBytes(): Promise<Buffer> {
  const n = seed++;
  const pixels = Buffer.alloc(24 * 24);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 5 + n * 17) % 256;
  return sharp(pixels, { raw: { width: 24, height: 24, channels: 1 } }).jpeg().toBuffer();
}

async function images(root: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) await writeFile(root, id, await jpegBytes());
}

export const CHEXPERT_HEADER =
  'Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices';

/** `CheXpert-v1.0-small/` with train.csv (1.0 / 0.0 / -1.0 / blank) and valid.csv; one train row has no image. */
export async function chexpertFolder(): Promise<string> {
  const root = path.join(await makeTempDir('xray-chexpert-'), 'CheXpert-v1.0-small');
  await writeFile(root, 'train.csv', [
    CHEXPERT_HEADER,
    'CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,,,,,,,,0.0,,,,1.0',
    'CheXpert-v1.0-small/train/patient00002/study2/view1_frontal.jpg,Female,87,Frontal,AP,,,-1.0,1.0,,-1.0,-1.0,,-1.0,,-1.0,,1.0,',
    'CheXpert-v1.0-small/train/patient00002/study1/view2_lateral.jpg,Female,83,Lateral,,,,,1.0,,,,,,,,,1.0,',
    'CheXpert-v1.0-small/train/patient00003/study1/view1_frontal.jpg,Male,41,Frontal,AP,,,,,,1.0,,,,0.0,,,,',
    '',
  ].join('\n'));
  await writeFile(root, 'valid.csv', [
    CHEXPERT_HEADER,
    'CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.jpg,Male,73,Frontal,AP,0.0,1.0,1.0,1.0,0.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0',
    '',
  ].join('\n'));
  await images(root, ['train/patient00001/study1/view1_frontal.jpg', 'train/patient00002/study2/view1_frontal.jpg', 'train/patient00002/study1/view2_lateral.jpg', 'valid/patient64541/study1/view1_frontal.jpg']);
  return root;
}

export const MIMIC_LABEL_HEADER =
  'subject_id,study_id,Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,Lung Lesion,Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices';
const MIMIC_METADATA_HEADER =
  'dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,StudyDate,StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,PatientOrientationCodeSequence_CodeMeaning';

export const MIMIC_DICOM = {
  pa: '02aa804e-bde0afdd-112c0b34-7bc16630-4e384014',
  lateral: '174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962',
  other: '2a2277a9-b0ded155-c0de8eb9-c124d10e-82c5caab',
};

/** MIMIC-CXR-JPG 2.0.0: gzipped chexpert/negbio labels per study, metadata and split per image, files/pXX/... */
export async function mimicFolder(): Promise<string> {
  const root = await makeTempDir('xray-mimic-');
  const gz = (name: string, lines: string[]): Promise<string> => writeFile(root, name, zlib.gzipSync(`${lines.join('\n')}\n`));
  await gz('mimic-cxr-2.0.0-chexpert.csv.gz', [MIMIC_LABEL_HEADER, '10000032,50414267,,,,,,,,,1.0,,,,,', '10000032,53189527,1.0,-1.0,,0.0,,,,,,,,,,', '10000764,57375967,,,1.0,,,,,,,,,-1.0,,']);
  await gz('mimic-cxr-2.0.0-negbio.csv.gz', [MIMIC_LABEL_HEADER, '10000032,50414267,,,,,,,,,1.0,,,,,']);
  await gz('mimic-cxr-2.0.0-metadata.csv.gz', [
    MIMIC_METADATA_HEADER,
    `${MIMIC_DICOM.pa},10000032,50414267,CHEST (PA AND LAT),PA,3056,2544,21800506,213014.531,CHEST (PA AND LAT),postero-anterior,Erect`,
    `${MIMIC_DICOM.lateral},10000032,50414267,CHEST (PA AND LAT),LATERAL,3056,2544,21800506,213014.531,CHEST (PA AND LAT),lateral,Erect`,
    `${MIMIC_DICOM.other},10000032,53189527,CHEST (PA AND LAT),PA,3056,2544,21800626,165500.312,CHEST (PA AND LAT),postero-anterior,Erect`,
  ]);
  await gz('mimic-cxr-2.0.0-split.csv.gz', ['dicom_id,study_id,subject_id,split', `${MIMIC_DICOM.pa},50414267,10000032,train`, `${MIMIC_DICOM.lateral},50414267,10000032,train`, `${MIMIC_DICOM.other},53189527,10000032,validate`]);
  await images(root, [`files/p10/p10000032/s50414267/${MIMIC_DICOM.pa}.jpg`, `files/p10/p10000032/s50414267/${MIMIC_DICOM.lateral}.jpg`, `files/p10/p10000032/s53189527/${MIMIC_DICOM.other}.jpg`]);
  return root;
}

export const VINDR_FINDINGS = [
  'Aortic enlargement', 'Atelectasis', 'Calcification', 'Cardiomegaly', 'Clavicle fracture', 'Consolidation', 'Edema', 'Emphysema',
  'Enlarged PA', 'ILD', 'Infiltration', 'Lung Opacity', 'Lung cavity', 'Lung cyst', 'Mediastinal shift', 'Nodule/Mass',
  'Pleural effusion', 'Pleural thickening', 'Pneumothorax', 'Pulmonary fibrosis', 'Rib fracture', 'Other lesion', 'COPD',
  'Lung tumor', 'Pneumonia', 'Tuberculosis', 'Other diseases', 'No finding',
];

/** A VinDr-CXR row: 0 everywhere but the named findings. */
function vindrRow(prefix: string, positives: readonly string[]): string {
  return [prefix, ...VINDR_FINDINGS.map((f) => (positives.includes(f) ? '1' : '0'))].join(',');
}

export const VINDR_IMAGES = { a: '000434271f63a053c4128a0ba6352c7f', b: '00053190460d56c53cc3e57321387478' };

/** VinDr-CXR 1.0.0: three readers per training image (R8 and R9 see cardiomegaly on image a, R10 does not). */
export async function vindrFolder(): Promise<string> {
  const root = await makeTempDir('xray-vindr-');
  const { a, b } = VINDR_IMAGES;
  await writeFile(root, 'image_labels_train.csv', `${[
    `image_id,rad_id,${VINDR_FINDINGS.join(',')}`,
    vindrRow(`${a},R8`, ['Cardiomegaly', 'Other diseases']),
    vindrRow(`${a},R9`, ['Cardiomegaly']),
    vindrRow(`${a},R10`, ['No finding']),
    vindrRow(`${b},R2`, ['No finding']),
    vindrRow(`${b},R3`, ['No finding']),
    vindrRow(`${b},R5`, ['Pleural effusion']),
  ].join('\n')}\n`);
  await writeFile(root, `train/${a}.png`, await jpegBytes());
  await writeFile(root, `train/${b}.png`, await jpegBytes());
  return root;
}

export const PADCHEST_HEADER =
  'ImageID,ImageDir,StudyDate_DICOM,StudyID,PatientID,PatientBirth,PatientSex_DICOM,ViewPosition_DICOM,Projection,MethodProjection,Labels,Localizations,LabelsLocalizationsBySentence,labelCUIS,LocalizationsCUIS';

export const PADCHEST_IMAGES = {
  normal: '216840111366964012283393834152009033102258826_00-059-087.png',
  effusion: '216840111366964012373310883942009117084022290_00-064-025.png',
  empty: '216840111366964013076187734852011291090445391_00-196-188.png',
};

/** PadChest: Labels as Python list strings, images in the numbered ImageDir folders. */
export async function padchestFolder(): Promise<string> {
  const root = await makeTempDir('xray-padchest-');
  const { normal, effusion, empty } = PADCHEST_IMAGES;
  await writeFile(root, 'PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv', `${[
    PADCHEST_HEADER,
    `${normal},0,20090302,216840111366964012283393834152009033102258826,259,1934,M,POSTEROANTERIOR,PA,Manual review of DICOM fields,['normal'],[],[['normal']],[],[]`,
    `${effusion},0,20090427,216840111366964012373310883942009117084022290,1055,1945,F,POSTEROANTERIOR,PA,Manual review of DICOM fields,"['pleural effusion', 'cardiomegaly', 'costophrenic angle blunting']",['loc left'],"[['pleural effusion', 'loc left'], ['cardiomegaly']]",[],[]`,
    `${empty},4,20111018,216840111366964013076187734852011291090445391,4423,1950,F,LATERAL,L,Manual review of DICOM fields,,,,,`,
  ].join('\n')}\n`);
  await writeFile(root, `0/${normal}`, await jpegBytes());
  await writeFile(root, `0/${effusion}`, await jpegBytes());
  await writeFile(root, `4/${empty}`, await jpegBytes());
  return root;
}

export async function readText(file: string): Promise<string> {
  const bytes = await fs.readFile(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}
