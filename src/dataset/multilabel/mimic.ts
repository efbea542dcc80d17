// MIMIC-CXR-JPG: `mimic-cxr-2.0.0-chexpert.csv(.gz)` (or `-negbio`) labels each study (subject_id, study_id,
// 14 observations, 1/0/-1/blank as CheXpert). `mimic-cxr-2.0.0-metadata.csv(.gz)` lists the images of each
// study (dicom_id, ViewPosition); `mimic-cxr-2.0.0-split.csv(.gz)` gives each image's split. Images are
// `files/p<first 2 digits of subject>/p<subject>/s<study>/<dicom_id>.jpg`. Every image of a study gets the
// study's labels; without the metadata file the study's images are found by that folder layout.
import * as path from 'node:path';
import { columnIndex, readTable } from './csvTable';
import { findingColumns, ImportBuilder, updateNumericRecord, whereOf } from './format';
import type { FormatHandler, ReadContext } from './format';
import type { FileIndex } from './fileIndex';
import { parseNumericState } from './states';
import type { Findings, LabelTable } from './types';

const METADATA_COLUMNS = new Set(['subject_id', 'study_id']);
const IMAGE_PATH = /(?:^|\/)files\/p\d\d\/p(\d+)\/s(\d+)\/([^/]+)\.jpg$/;

interface StudyImage {
  id: string;
  dicomId: string;
  view?: string;
}

/** MIMIC writes `validate`; the other importers say `validation`. */
function normaliseSplit(split: string): string {
  return split === 'validate' ? 'validation' : split;
}

async function auxiliaryTable(root: string, rootNames: readonly string[], suffix: RegExp): Promise<LabelTable | null> {
  const name = rootNames.filter((n) => suffix.test(n)).sort()[0];
  return name ? readTable(path.join(root, name)) : null;
}

/** Images by study id: from the metadata file when there is one, else from the folder layout. */
async function studyImages(context: ReadContext, builder: ImportBuilder): Promise<Map<string, StudyImage[]>> {
  const byStudy = new Map<string, StudyImage[]>();
  const add = (study: string, image: StudyImage): void => {
    const list = byStudy.get(study);
    if (list) list.push(image);
    else byStudy.set(study, [image]);
  };
  const metadata = await auxiliaryTable(context.root, context.rootNames, /metadata\.csv(\.gz)?$/i);
  if (!metadata) {
    for (const id of context.files.all()) {
      const match = IMAGE_PATH.exec(id);
      if (match) add(match[2], { id, dicomId: match[3] });
    }
    return byStudy;
  }
  const column = columnIndex(metadata, ['dicom_id', 'subject_id', 'study_id']);
  const cell = (record: readonly string[], name: string): string => (column.has(name) ? (record[column.get(name)!] ?? '').trim() : '');
  metadata.records.forEach((record, r) => {
    const [dicomId, subject, study] = [cell(record, 'dicom_id'), cell(record, 'subject_id'), cell(record, 'study_id')];
    const found = imageFile(context.files, dicomId, subject, study);
    if ('error' in found) builder.missingRow(whereOf(metadata, r), found.error);
    else add(study, { id: found.id, dicomId, view: cell(record, 'ViewPosition') || undefined });
  });
  return byStudy;
}

function imageFile(files: FileIndex, dicomId: string, subject: string, study: string): { id: string } | { error: string } {
  return files.byPathOrName(`files/p${subject.slice(0, 2)}/p${subject}/s${study}/${dicomId}.jpg`);
}

async function splits(context: ReadContext): Promise<Map<string, string>> {
  const table = await auxiliaryTable(context.root, context.rootNames, /split\.csv(\.gz)?$/i);
  const splitOf = new Map<string, string>();
  if (!table) return splitOf;
  const column = columnIndex(table, ['dicom_id', 'split']);
  for (const record of table.records) splitOf.set(record[column.get('dicom_id')!], normaliseSplit(record[column.get('split')!]));
  return splitOf;
}

export const mimicFormat: FormatHandler = {
  format: 'mimic',
  writable: ['positive', 'negative', 'uncertain', 'unmentioned'],

  isLabelFile: (name, columns) =>
    !/metadata|split/i.test(name) && columns.includes('subject_id') && columns.includes('study_id') && !columns.includes('dicom_id') && columns.length > 2,

  // The CheXpert labeller's file is the one most training code reads; NegBio's is taken when it is alone.
  chooseFiles: (names) => [names.find((name) => /chexpert/i.test(name)) ?? names[0]],

  async read(context: ReadContext) {
    const table = context.tables[0];
    const column = columnIndex(table, ['subject_id', 'study_id']);
    const findings = findingColumns(table.columns, METADATA_COLUMNS);
    const builder = new ImportBuilder();
    const images = await studyImages(context, builder);
    const splitOf = await splits(context);
    const labelled = new Map<string, string>();
    table.records.forEach((record, r) => {
      const where = whereOf(table, r);
      const subject = record[column.get('subject_id')!]?.trim() ?? '';
      const study = record[column.get('study_id')!]?.trim() ?? '';
      const first = labelled.get(study);
      if (first) return builder.problem(where, `duplicate row for study ${study} (first at ${first}; that one is used)`);
      labelled.set(study, where);
      const studyFiles = images.get(study);
      if (!studyFiles?.length) return builder.missingRow(where, `no image file of study s${study} (subject p${subject})`);
      const state: Findings = {};
      for (const finding of findings) {
        const value = record[column.get(finding)!] ?? '';
        const parsed = parseNumericState(value);
        if (parsed === null) builder.problem(where, `${finding}: "${value}" is not 1, 0, -1 or blank (read as not mentioned)`);
        state[finding] = parsed ?? 'unmentioned';
      }
      const byId = new Map(studyFiles.map((image) => [image.id, image]));
      builder.study(0, table, r, [...byId.keys()], (id) => {
        const image = byId.get(id)!;
        const metadata: Record<string, string> = { patient_id: subject, study_id: study };
        if (image.view) metadata.view = image.view;
        const split = splitOf.get(image.dicomId);
        if (split) metadata.split = split;
        return { id, findings: { ...state }, metadata };
      });
    });
    return builder.result(findings);
  },

  updateRecord(table, record, findings, imported, curated) {
    return updateNumericRecord(table, record, findings, imported, curated, this.writable);
  },
};
