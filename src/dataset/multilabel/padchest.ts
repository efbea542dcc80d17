// PadChest: `PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv(.gz)`, one row per image (ImageID, ImageDir,
// StudyID, PatientID, PatientBirth, PatientSex_DICOM, Projection, StudyDate_DICOM, ...) with `Labels` as a
// Python list literal, e.g. "['pneumonia', 'pleural effusion']"; "['normal']" means no finding. Images sit in
// the numbered folders of `ImageDir` (or anywhere, found by file name).
import { columnIndex } from './csvTable';
import { ImportBuilder, whereOf } from './format';
import type { FormatHandler, ReadContext } from './format';
import { allFindings, fromPositiveList } from './states';
import type { Findings } from './types';

const LABELS = 'Labels';
/** The label PadChest writes for a study without findings. */
export const NORMAL = 'normal';

/** The strings of a Python list literal (`['a', "b's"]`); null when the cell is not one. */
export function parsePythonList(cell: string): string[] | null {
  const text = cell.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return null;
  const inner = text.slice(1, -1);
  const values: string[] = [];
  const pattern = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(?:,|$)/y;
  let at = 0;
  while (at < inner.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(inner);
    if (!match) return inner.slice(at).trim() === '' ? values : null;
    values.push((match[1] ?? match[2]).replace(/\\(.)/g, '$1'));
    at = pattern.lastIndex;
  }
  return values;
}

/** A Python list literal as Python prints it: single quotes unless the string holds one. */
export function pythonList(values: readonly string[]): string {
  const quote = (v: string): string => (v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  return `[${values.map(quote).join(', ')}]`;
}

function labelsOf(cell: string): string[] | null {
  return parsePythonList(cell)?.map((label) => label.trim()).filter((label) => label !== '') ?? null;
}

function ageAtStudy(birthYear: string, studyDate: string): string {
  const born = Number.parseInt(birthYear, 10);
  const year = Number.parseInt(studyDate.slice(0, 4), 10);
  return Number.isFinite(born) && Number.isFinite(year) && year >= born ? String(year - born) : '';
}

export const padchestFormat: FormatHandler = {
  format: 'padchest',
  writable: ['positive', 'negative'],

  isLabelFile: (_name, columns) => columns.includes('ImageID') && columns.includes(LABELS),

  chooseFiles: (names) => [names[0]],

  async read({ tables, files }: ReadContext) {
    const table = tables[0];
    const column = columnIndex(table, ['ImageID', LABELS]);
    const cell = (record: readonly string[], name: string): string => (column.has(name) ? (record[column.get(name)!] ?? '').trim() : '');
    const seen = new Set<string>();
    for (const record of table.records) for (const label of labelsOf(cell(record, LABELS)) ?? []) if (label !== NORMAL) seen.add(label);
    const findings = [...seen].sort();
    const builder = new ImportBuilder();
    table.records.forEach((record, r) => {
      const name = cell(record, 'ImageID');
      const folder = cell(record, 'ImageDir');
      builder.image(0, table, r, files.byPathOrName(folder ? `${folder}/${name}` : name), (id) => {
        const labels = labelsOf(cell(record, LABELS));
        if (labels === null && cell(record, LABELS) !== '') builder.problem(whereOf(table, r), `Labels is not a list: ${cell(record, LABELS).slice(0, 60)}`);
        const state: Findings = labels?.length ? fromPositiveList(findings, new Set(labels)) : allFindings(findings, 'unmentioned');
        const metadata: Record<string, string> = {};
        const age = ageAtStudy(cell(record, 'PatientBirth'), cell(record, 'StudyDate_DICOM'));
        for (const [key, value] of [['patient_id', cell(record, 'PatientID')], ['study_id', cell(record, 'StudyID')], ['view', cell(record, 'Projection')], ['sex', cell(record, 'PatientSex_DICOM')], ['age', age]] as const) {
          if (value) metadata[key] = value;
        }
        return { id, findings: state, metadata };
      });
    });
    return builder.result(findings);
  },

  updateRecord(table, record, findings, imported, curated) {
    const column = table.columns.indexOf(LABELS);
    const before = new Set(findings.filter((f) => imported[f] === 'positive'));
    const after = new Set(findings.filter((f) => (curated[f] ?? imported[f]) === 'positive'));
    if (before.size === after.size && [...before].every((f) => after.has(f))) return null;
    // Kept labels stay in the order the report gave them; new ones follow.
    const original = labelsOf(record[column] ?? '') ?? [];
    const labels = [...original.filter((label) => after.has(label)), ...[...after].filter((f) => !original.includes(f))];
    const out = record.slice();
    out[column] = pythonList(labels.length ? labels : [NORMAL]);
    return out;
  },
};
