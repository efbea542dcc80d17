// Writes curated findings back into the label files they came from, same names, columns and cell style, so
// the user's training code reads them unchanged. Rows whose labels did not change are copied byte for byte.
import * as path from 'node:path';
import { writeTable } from './csvTable';
import { FileIndex } from './fileIndex';
import { detectLabelFiles, importDetected } from './importMultiLabel';
import { combineStates } from './states';
import type { Findings, MultiLabelOptions } from './types';

/** An image with the findings it should have now (a `DatasetItem` of a multi-label dataset has both). */
export interface CuratedItem {
  id: string;
  findings?: Findings;
}

export interface MultiLabelExportReport {
  /** The files written, one per label file read. */
  files: string[];
  /** Records rewritten because their labels changed. */
  changedRecords: number;
  /** States the format cannot write, and images of one study curated differently. */
  warnings: string[];
}

/**
 * Exports `items`' findings into `target` (a folder outside the dataset): each label file of the dataset is
 * re-read and written there under its own name with the changed records rewritten. MIMIC-CXR studies take
 * one state per finding from their images (`combineStates`); formats without an uncertain state (NIH,
 * PadChest, VinDr) write uncertain as they can (absent; VinDr: the readers' cells unchanged) and say so.
 */
export async function exportMultiLabel(root: string, items: readonly CuratedItem[], target: string, options: MultiLabelOptions = {}): Promise<MultiLabelExportReport> {
  const datasetRoot = path.resolve(root);
  const destination = path.resolve(target);
  const relative = path.relative(datasetRoot, destination);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) throw new Error(`export target is inside the dataset folder: ${destination}`);
  const detected = await detectLabelFiles(datasetRoot, options);
  if (!detected) throw new Error(`${datasetRoot} has no multi-label file to export into`);
  const curatedOf = new Map(items.map((item) => [item.id, item.findings]));
  const imported = await importDetected(datasetRoot, detected, new FileIndex(curatedOf.keys()));
  const importedOf = new Map(imported.items.map((item) => [item.id, item.findings]));
  const { handler } = detected;
  const warnings: string[] = [];
  let unwritable = 0;
  const conflicts = new Set<string>();
  const changed = imported.tables.map(() => new Map<number, string[]>());

  for (const link of imported.links) {
    const table = imported.tables[link.table];
    const before = importedOf.get(link.itemIds[0])!;
    const curated: Findings = {};
    for (const finding of imported.findings) {
      const states = link.itemIds.map((id) => curatedOf.get(id)?.[finding] ?? importedOf.get(id)![finding]);
      const { state, conflict } = combineStates(before[finding], states);
      if (conflict) conflicts.add(`${link.itemIds.join(', ')}: ${finding}`);
      if (state !== before[finding] && !handler.writable.includes(state)) unwritable++;
      curated[finding] = state;
    }
    const record = changed[link.table].get(link.record) ?? table.records[link.record];
    const updated = handler.updateRecord(table, record, imported.findings, before, curated);
    if (updated) changed[link.table].set(link.record, updated);
  }

  if (unwritable) warnings.push(`${unwritable} curated state(s) that ${handler.format} files cannot hold (${handler.writable.join('/')} only) were written as the nearest they have`);
  if (conflicts.size) warnings.push(`images of one study were curated differently for ${conflicts.size} finding(s), e.g. ${[...conflicts][0]}; one state per study was written (see combineStates)`);
  const files: string[] = [];
  for (const [t, table] of imported.tables.entries()) {
    const file = path.join(destination, table.name);
    await writeTable(table, changed[t], file);
    files.push(file);
  }
  return { files, changedRecords: changed.reduce((sum, map) => sum + map.size, 0), warnings };
}
