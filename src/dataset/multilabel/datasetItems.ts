// How `openDataset` turns a multi-label import into dataset items: findings and metadata on each item, no
// single label (the `images/` folder of NIH's layout is not a class), and the rows without an image as problems.
import * as path from 'node:path';
import type { DatasetItem, DatasetProblem, OpenDatasetOptions } from '../types';
import type { FoundFile } from '../walk';
import { importMultiLabel } from './importMultiLabel';
import { allFindings } from './states';
import type { MultiLabelImport, MultiLabelItem } from './types';

/** Rows without an image listed one by one; beyond this, one summary line (NIH's file has 112,120 rows). */
const LISTED_MISSING_ROWS = 50;

/** The folder's multi-label import, or null for a single-label folder (a manifest, or no label file). */
export async function readMultiLabel(root: string, files: readonly FoundFile[], manifestPath: string | null, options: OpenDatasetOptions): Promise<MultiLabelImport | null> {
  if (options.multiLabel === false || (manifestPath && !options.multiLabel)) return null;
  return importMultiLabel(root, files.map((file) => file.id), options.multiLabel || {});
}

/** Problems to show for an import; rows without an image only when the whole folder was opened (not a list). */
export function importProblems(imported: MultiLabelImport, withMissing: boolean): DatasetProblem[] {
  const problems = [...imported.problems];
  if (!withMissing) return problems;
  problems.push(...imported.missing.slice(0, LISTED_MISSING_ROWS));
  const more = imported.missing.length - LISTED_MISSING_ROWS;
  if (more > 0) problems.push({ where: imported.missing[LISTED_MISSING_ROWS].where.split(':')[0], reason: `${more} more rows whose image file is not in the folder` });
  return problems;
}

export class MultiLabelLookup {
  private readonly byId: Map<string, MultiLabelItem>;

  constructor(readonly imported: MultiLabelImport) {
    this.byId = new Map(imported.items.map((item) => [item.id, item]));
  }

  /** Sets the item's findings and metadata from its row; an image without a row has every finding unmentioned. */
  apply(item: DatasetItem): void {
    const row = this.byId.get(item.id);
    item.sourceLabel = null;
    // The import is the dataset's own: its records become the items' (no copy of 100,000 records); only an item the
    // journal edits gets findings of its own (applyJournalState), so the file's record stays what the file says.
    item.sourceFindings = row ? row.findings : allFindings(this.imported.findings, 'unmentioned');
    item.findings = item.sourceFindings;
    if (row) item.metadata = { ...item.metadata, ...row.metadata };
  }

  /** A warning when some images have no row in the label files. */
  unlabelledWarning(items: readonly DatasetItem[]): string | null {
    const count = items.filter((item) => !this.byId.has(item.id)).length;
    if (count === 0) return null;
    const files = this.imported.labelFiles.map((file) => path.basename(file)).join(', ');
    return `${count} image(s) have no row in ${files}: every finding is unmentioned for them`;
  }
}
