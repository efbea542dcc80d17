import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { resolveInside } from './safePath';
import type { DatasetProblem } from './types';

/** One usable manifest row. */
export interface ManifestRow {
  id: string;
  label: string | null;
  metadata: Record<string, string>;
  /** 1-based line of the row in the file, for messages. */
  line: number;
}

export interface Manifest {
  rows: Map<string, ManifestRow>;
  problems: DatasetProblem[];
}

/**
 * Reads a `path,label,...` CSV manifest (quoted fields, BOM and CRLF allowed). Rows that are unusable
 * (paths outside the dataset, duplicates, bad labels) become problems; the other rows are kept.
 */
export async function readManifest(root: string, file: string): Promise<Manifest> {
  const name = path.basename(file);
  const problems: DatasetProblem[] = [];
  const rows = new Map<string, ManifestRow>();
  let records: string[][];
  try {
    records = parse(await fs.readFile(file), {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    problems.push({ where: name, reason: `manifest not read: ${(error as Error).message}` });
    return { rows, problems };
  }
  const header = records[0]?.map((column) => column.toLowerCase());
  const pathColumn = header?.indexOf('path') ?? -1;
  if (!header || pathColumn < 0) {
    problems.push({ where: name, reason: 'manifest has no "path" column in its first line' });
    return { rows, problems };
  }
  const labelColumn = header.indexOf('label');
  const metadataColumns = header.map((column, index) => ({ column, index })).filter(({ index }) => index !== pathColumn && index !== labelColumn);

  records.slice(1).forEach((record, index) => {
    const line = index + 2;
    const where = `${name}:${line}`;
    if (record.length !== header.length) {
      problems.push({ where, reason: `row has ${record.length} fields, the header has ${header.length}` });
      return;
    }
    let id: string;
    try {
      id = resolveInside(root, record[pathColumn]).id;
    } catch (error) {
      problems.push({ where, reason: (error as Error).message });
      return;
    }
    const first = rows.get(id);
    if (first) {
      problems.push({ where, reason: `duplicate row for ${id} (first at line ${first.line}; that one is used)` });
      return;
    }
    const label = labelColumn >= 0 && record[labelColumn] !== '' ? record[labelColumn] : null;
    const labelProblem = label === null ? null : classNameProblem(label);
    if (labelProblem) {
      problems.push({ where, reason: labelProblem });
      return;
    }
    const metadata: Record<string, string> = {};
    for (const { column, index: columnIndex } of metadataColumns) metadata[column] = record[columnIndex];
    rows.set(id, { id, label, metadata, line });
  });
  return { rows, problems };
}

/** Why a string cannot be a class name (it becomes a folder name on "apply to folders"), or null. */
export function classNameProblem(name: string): string | null {
  if (name.trim() === '') return 'empty class name';
  if (name.length > 100) return `class name longer than 100 characters: ${name.slice(0, 40)}…`;
  if (/[/\\\0]/.test(name) || name.startsWith('.') || name !== name.trim()) return `class name not usable as a folder name: ${JSON.stringify(name)}`;
  if (name === 'unlabeled') return 'class name "unlabeled" is reserved for unlabelled images';
  return null;
}
