// NIH ChestX-ray14: `Data_Entry_2017.csv` (or `Data_Entry_2017_v2020.csv`), one row per image, `Finding Labels`
// pipe-separated or `No Finding`; `train_val_list.txt` / `test_list.txt` at the root give the official split.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { columnIndex } from './csvTable';
import { ImportBuilder } from './format';
import type { FormatHandler, ReadContext } from './format';
import { fromPositiveList } from './states';
import type { Findings, LabelTable } from './types';

/** The 14 findings of ChestX-ray14, as NIH spells them. */
export const NIH_FINDINGS = [
  'Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Effusion', 'Emphysema', 'Fibrosis',
  'Hernia', 'Infiltration', 'Mass', 'Nodule', 'Pleural_Thickening', 'Pneumonia', 'Pneumothorax',
];

/** The label NIH writes when none of the findings is present. */
export const NO_FINDING = 'No Finding';

const IMAGE = 'Image Index';
const LABELS = 'Finding Labels';
const SPLIT_LISTS: Record<string, string> = { 'train_val_list.txt': 'train', 'test_list.txt': 'test' };

function listedLabels(cell: string): string[] {
  return cell.split('|').map((label) => label.trim()).filter((label) => label !== '' && label !== NO_FINDING);
}

/** Age in years: NIH writes `58`, the first release `058Y`. */
function years(cell: string): string {
  const match = /^0*(\d+)\s*[Yy]?$/.exec(cell.trim());
  return match ? match[1] : cell.trim();
}

async function readSplitLists(root: string, rootNames: readonly string[]): Promise<Map<string, string>> {
  const splitOf = new Map<string, string>();
  for (const [name, split] of Object.entries(SPLIT_LISTS)) {
    if (!rootNames.includes(name)) continue;
    const text = await fs.readFile(path.join(root, name), 'utf8');
    for (const line of text.split(/\r?\n/)) if (line.trim()) splitOf.set(line.trim(), split);
  }
  return splitOf;
}

export const nihFormat: FormatHandler = {
  format: 'nih',
  writable: ['positive', 'negative'],

  isLabelFile: (_name, columns) => columns.includes(IMAGE) && columns.includes(LABELS),

  chooseFiles: (names) => [names.find((name) => name === 'Data_Entry_2017.csv') ?? names[0]],

  async read({ root, tables, files, rootNames }: ReadContext) {
    const table = tables[0];
    const column = columnIndex(table, [IMAGE, LABELS]);
    const extra = new Set<string>();
    for (const record of table.records) for (const label of listedLabels(record[column.get(LABELS)!] ?? '')) if (!NIH_FINDINGS.includes(label)) extra.add(label);
    const findings = [...NIH_FINDINGS, ...[...extra].sort()];
    const splitOf = await readSplitLists(root, rootNames);
    const cell = (record: readonly string[], name: string): string => (column.has(name) ? (record[column.get(name)!] ?? '').trim() : '');
    const builder = new ImportBuilder();
    table.records.forEach((record, r) => {
      const name = cell(record, IMAGE);
      builder.image(0, table, r, files.byFileName(name), (id) => {
        const metadata: Record<string, string> = {};
        const set = (key: string, value: string): void => {
          if (value) metadata[key] = value;
        };
        set('patient_id', cell(record, 'Patient ID'));
        set('view', cell(record, 'View Position'));
        set('sex', cell(record, 'Patient Gender'));
        set('age', years(cell(record, 'Patient Age')));
        set('split', splitOf.get(name) ?? '');
        return { id, findings: fromPositiveList(findings, new Set(listedLabels(cell(record, LABELS)))), metadata };
      });
    });
    return builder.result(findings);
  },

  updateRecord(table: LabelTable, record, findings, imported: Findings, curated: Findings) {
    const positives = (states: Findings): string[] => findings.filter((f) => states[f] === 'positive');
    const after = positives({ ...imported, ...curated });
    if (after.join('|') === positives(imported).join('|')) return null;
    const out = record.slice();
    out[table.columns.indexOf(LABELS)] = after.length ? after.join('|') : NO_FINDING;
    return out;
  },
};
