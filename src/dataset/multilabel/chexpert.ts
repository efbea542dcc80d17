// CheXpert: `train.csv` and `valid.csv` at the root of `CheXpert-v1.0/` or `CheXpert-v1.0-small/`, one row per
// image: Path (with that folder as prefix), Sex, Age, Frontal/Lateral, AP/PA, then 14 observations that are
// 1 positive, 0 negative, -1 uncertain, blank not mentioned.
import { columnIndex } from './csvTable';
import { findingColumns, ImportBuilder, updateNumericRecord, whereOf } from './format';
import type { FormatHandler, ReadContext } from './format';
import { parseNumericState } from './states';
import type { Findings } from './types';

const METADATA_COLUMNS = new Set(['Path', 'Sex', 'Age', 'Frontal/Lateral', 'AP/PA']);

/** The folder the Path column starts with, as distributed. */
const PATH_PREFIX = /^CheXpert-v1\.0(-small)?\//;

/** `train`, `validation` or `test` from the file name. */
export function splitFromName(name: string): string {
  return /valid/i.test(name) ? 'validation' : /test/i.test(name) ? 'test' : 'train';
}

export const chexpertFormat: FormatHandler = {
  format: 'chexpert',
  writable: ['positive', 'negative', 'uncertain', 'unmentioned'],

  isLabelFile: (_name, columns) => columns.includes('Path') && columns.includes('Frontal/Lateral'),

  chooseFiles: (names) => names.slice(),

  async read({ tables, files }: ReadContext) {
    const findings: string[] = [];
    for (const table of tables) for (const name of findingColumns(table.columns, METADATA_COLUMNS)) if (!findings.includes(name)) findings.push(name);
    const builder = new ImportBuilder();
    tables.forEach((table, t) => {
      const column = columnIndex(table, ['Path']);
      const cell = (record: readonly string[], name: string): string => (column.has(name) ? (record[column.get(name)!] ?? '').trim() : '');
      const split = splitFromName(table.name);
      table.records.forEach((record, r) => {
        const written = cell(record, 'Path');
        // The folder holding train.csv is the prefix folder itself; a parent folder keeps it in the ids.
        const direct = files.has(written) ? { id: written } : files.byPath(written.replace(PATH_PREFIX, ''));
        builder.image(t, table, r, direct, (id) => {
          const state: Findings = {};
          for (const finding of findings) {
            const value = column.has(finding) ? record[column.get(finding)!] ?? '' : '';
            const parsed = parseNumericState(value);
            if (parsed === null) builder.problem(whereOf(table, r), `${finding}: "${value}" is not 1, 0, -1 or blank (read as not mentioned)`);
            state[finding] = parsed ?? 'unmentioned';
          }
          const frontal = cell(record, 'Frontal/Lateral');
          const metadata: Record<string, string> = { split };
          const patient = /(patient\d+)/.exec(written)?.[1];
          const study = /(patient\d+\/study\d+)/.exec(written)?.[1];
          const view = frontal === 'Frontal' ? cell(record, 'AP/PA') || frontal : frontal;
          for (const [key, value] of [['patient_id', patient], ['study_id', study], ['view', view], ['sex', cell(record, 'Sex')], ['age', cell(record, 'Age')]] as const) {
            if (value) metadata[key] = value;
          }
          return { id, findings: state, metadata };
        });
      });
    });
    return builder.result(findings);
  },

  updateRecord(table, record, findings, imported, curated) {
    return updateNumericRecord(table, record, findings, imported, curated, this.writable);
  },
};
