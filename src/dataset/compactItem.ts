import type { DatasetItem } from './types';

/** What a scan found of an item: the journal's fields (label, flag, note, findings) come later. */
export type ScannedFacts = Omit<DatasetItem, 'absPath' | 'label' | 'flagged' | 'note' | 'findings'>;

/**
 * A fresh item with the fields in one order; the journal's fields are kept when `from` has them, else it is
 * labelled by its source until the journal is applied. Parsed JSON and structured clones (a scan's parts from its
 * worker) build objects field by field, each with its own layout: at 400,000 items, 60 MB more than one layout.
 */
export function compactItem(from: ScannedFacts & Partial<Pick<DatasetItem, 'label' | 'flagged' | 'note' | 'findings'>>, absPath: string): DatasetItem {
  const item: DatasetItem = {
    id: from.id,
    absPath,
    sourceLabel: from.sourceLabel,
    label: from.label !== undefined ? from.label : from.sourceLabel,
    flagged: from.flagged ?? false,
    hash: from.hash,
    metadata: from.metadata,
  };
  if (from.note !== undefined) item.note = from.note;
  if (from.sourceFindings !== undefined) item.sourceFindings = from.sourceFindings;
  if (from.findings !== undefined) item.findings = from.findings;
  if (from.format !== undefined) item.format = from.format;
  if (from.width !== undefined) item.width = from.width;
  if (from.height !== undefined) item.height = from.height;
  if (from.error !== undefined) item.error = from.error;
  return item;
}
