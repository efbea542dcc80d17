// VinDr-CXR: `image_labels_train.csv` has one row per reader per image (image_id, rad_id, then 28 findings and
// diagnoses as 0/1); three radiologists read each training image. `image_labels_test.csv` has one consensus
// row per image (no rad_id). Images are `<split>/<image_id>.dicom`, or converted copies of any extension.
// Each reader's row is kept (`readers`); the image's findings are the readers' majority (see `majority`).
import { columnIndex } from './csvTable';
import { findingColumns, ImportBuilder, updateNumericRecord, whereOf } from './format';
import type { FormatHandler, ReadContext } from './format';
import { splitFromName } from './chexpert';
import { majority, parseNumericState } from './states';
import type { Findings, MultiLabelItem } from './types';

const IMAGE = 'image_id';
const READER = 'rad_id';
const METADATA_COLUMNS = new Set([IMAGE, READER]);

export const vindrFormat: FormatHandler = {
  format: 'vindr',
  // A curated state is written into every reader's row of the image, so any vote gives it; 0/1 only.
  writable: ['positive', 'negative'],

  isLabelFile: (_name, columns) => columns.includes(IMAGE) && (columns.includes(READER) || columns.includes('No finding')),

  chooseFiles: (names) => names.slice(),

  async read({ tables, files }: ReadContext) {
    const findings: string[] = [];
    for (const table of tables) for (const name of findingColumns(table.columns, METADATA_COLUMNS)) if (!findings.includes(name)) findings.push(name);
    const builder = new ImportBuilder();
    const readerRows = new Map<MultiLabelItem, Findings[]>();
    tables.forEach((table, t) => {
      const column = columnIndex(table, [IMAGE]);
      const split = splitFromName(table.name);
      const hasReaders = column.has(READER);
      table.records.forEach((record, r) => {
        const imageId = record[column.get(IMAGE)!]?.trim() ?? '';
        const state: Findings = {};
        for (const finding of findings) {
          const value = column.has(finding) ? (record[column.get(finding)!] ?? '') : '';
          const parsed = parseNumericState(value);
          if (parsed === null || parsed === 'uncertain') builder.problem(whereOf(table, r), `${finding}: "${value}" is not 0, 1 or blank (read as not mentioned)`);
          state[finding] = parsed === null || parsed === 'uncertain' ? 'unmentioned' : parsed;
        }
        const item = builder.image(t, table, r, files.byFileStem(imageId), (id) => ({ id, findings: state, metadata: { split } }), hasReaders ? 'merge' : 'duplicate');
        if (!item || !hasReaders) return;
        const reader = record[column.get(READER)!]?.trim() || `row ${r + 2}`;
        item.readers ??= {};
        if (item.readers[reader]) builder.problem(whereOf(table, r), `reader ${reader} labelled ${imageId} twice; the first row is used`);
        else {
          item.readers[reader] = state;
          readerRows.set(item, [...(readerRows.get(item) ?? []), state]);
        }
      });
    });
    for (const [item, rows] of readerRows) item.findings = Object.fromEntries(findings.map((f) => [f, majority(rows.map((row) => row[f] ?? 'unmentioned'))]));
    return builder.result(findings);
  },

  updateRecord(table, record, findings, imported, curated) {
    return updateNumericRecord(table, record, findings, imported, curated, this.writable);
  },
};
