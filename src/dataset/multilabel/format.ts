// What every importer provides, and the bookkeeping they share: rows onto image files, missing files,
// duplicate rows.
import type { DatasetProblem } from '../types';
import type { FileIndex, Lookup } from './fileIndex';
import { cellExample, numericCell } from './states';
import type { FindingState, Findings, LabelTable, MultiLabelFormat, MultiLabelItem, RecordLink } from './types';

export interface ReadContext {
  root: string;
  /** This format's label files, in the order `chooseFiles` gave. */
  tables: LabelTable[];
  files: FileIndex;
  /** Names of the entries at the dataset root (split lists, MIMIC-CXR metadata). */
  rootNames: string[];
}

export interface FormatRead {
  findings: string[];
  items: MultiLabelItem[];
  links: RecordLink[];
  missing: DatasetProblem[];
  problems: DatasetProblem[];
}

export interface FormatHandler {
  format: MultiLabelFormat;
  /** Whether a CSV file of this name whose first line has these columns is one of this format's label files. */
  isLabelFile(name: string, columns: readonly string[]): boolean;
  /** The label files to read among those that matched (sorted names): one, or several (CheXpert train + valid). */
  chooseFiles(names: readonly string[]): string[];
  /** States the format can write; others are written as the closest it has (see each importer). */
  writable: readonly FindingState[];
  read(context: ReadContext): Promise<FormatRead>;
  /**
   * The record with the curated states written in, or null when nothing in it changes. `imported` is what
   * the import read for the record's items, `curated` what they should say now.
   */
  updateRecord(table: LabelTable, record: readonly string[], findings: readonly string[], imported: Findings, curated: Findings): string[] | null;
}

/** Where a record is, for messages: `file:line`, counting the header as line 1. */
export function whereOf(table: LabelTable, record: number): string {
  return `${table.name}:${record + 2}`;
}

/** Collects items, links and problems while an importer walks its records. */
export class ImportBuilder {
  private readonly items = new Map<string, MultiLabelItem>();
  /** Where each item's first record is, as `[table, record]` (formatted only for messages). */
  private readonly first = new Map<string, [LabelTable, number]>();
  private readonly links: RecordLink[] = [];
  private readonly missing: DatasetProblem[] = [];
  private readonly problems: DatasetProblem[] = [];

  /**
   * Adds the record that labels one image. `repeat: 'merge'` allows several records per image (VinDr's
   * readers) and returns the item made by the first; otherwise a repeated image is a problem and null.
   */
  image(tableIndex: number, table: LabelTable, record: number, lookup: Lookup, make: (id: string) => MultiLabelItem, repeat: 'merge' | 'duplicate' = 'duplicate'): MultiLabelItem | null {
    if ('error' in lookup) {
      (lookup.error.startsWith('no image file') ? this.missing : this.problems).push({ where: whereOf(table, record), reason: lookup.error });
      return null;
    }
    const existing = this.items.get(lookup.id);
    if (existing && repeat === 'duplicate') {
      this.problems.push({ where: whereOf(table, record), reason: `duplicate row for ${lookup.id} (first at ${this.firstWhere(lookup.id)}; that one is used)` });
      return null;
    }
    const item = existing ?? make(lookup.id);
    if (!existing) {
      this.items.set(lookup.id, item);
      this.first.set(lookup.id, [table, record]);
    }
    this.links.push({ table: tableIndex, record, itemIds: [lookup.id] });
    return item;
  }

  /** Adds a record that labels several images (a study); an image already labelled keeps its first labels. */
  study(tableIndex: number, table: LabelTable, record: number, ids: readonly string[], make: (id: string) => MultiLabelItem): void {
    const fresh = ids.filter((id) => {
      if (!this.items.has(id)) return true;
      this.problems.push({ where: whereOf(table, record), reason: `${id} is already labelled by ${this.firstWhere(id)}; that one is used` });
      return false;
    });
    for (const id of fresh) {
      this.items.set(id, make(id));
      this.first.set(id, [table, record]);
    }
    if (fresh.length) this.links.push({ table: tableIndex, record, itemIds: fresh });
  }

  private firstWhere(id: string): string {
    const [table, record] = this.first.get(id)!;
    return whereOf(table, record);
  }

  missingRow(where: string, reason: string): void {
    this.missing.push({ where, reason });
  }

  problem(where: string, reason: string): void {
    this.problems.push({ where, reason });
  }

  result(findings: string[]): FormatRead {
    const items = [...this.items.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { findings, items, links: this.links, missing: this.missing, problems: this.problems };
  }
}

/** Finding columns: every column that is not one of `metadataColumns`, in file order (empty names skipped). */
export function findingColumns(columns: readonly string[], metadataColumns: ReadonlySet<string>): string[] {
  return columns.filter((name) => name !== '' && !metadataColumns.has(name));
}

/**
 * A record of 1/0/-1/blank cells (CheXpert, MIMIC-CXR, VinDr) with the cells rewritten where the curated state
 * differs from the imported one, in the style of the table's cells (`1.0` or `1`); states outside `writable`
 * leave the cell as it is. Null when no cell changes.
 */
export function updateNumericRecord(
  table: LabelTable,
  record: readonly string[],
  findings: readonly string[],
  imported: Findings,
  curated: Findings,
  writable: readonly FindingState[],
): string[] | null {
  const columns = new Map(table.columns.map((name, i) => [name, i]));
  const example = cellExample(table.records.slice(0, 100), findings.flatMap((f) => (columns.has(f) ? [columns.get(f)!] : [])));
  let out: string[] | null = null;
  for (const finding of findings) {
    const before = imported[finding] ?? 'unmentioned';
    const after = curated[finding] ?? before;
    const column = columns.get(finding);
    if (after === before || column === undefined || !writable.includes(after)) continue;
    const value = numericCell(after, example);
    if (value === record[column]) continue;
    out ??= record.slice();
    out[column] = value;
  }
  return out;
}
