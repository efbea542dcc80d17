// Label files as distributed: CSV (optionally gzipped), read with csv-parse keeping each record's raw text so
// an export rewrites only the rows whose labels changed, and written back with csv-stringify.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { writeAtomically } from '../atomicFile';
import type { LabelTable } from './types';

/** Bytes read to detect a file's format from its header. */
const HEADER_BYTES = 64 * 1024;

export function isCsvName(name: string): boolean {
  return /\.csv(\.gz)?$/i.test(name);
}

/**
 * Column names from the header fields. A bracketed group split by the commas inside it
 * (`OriginalImage[Width`, `Height]`) names one column per part: `OriginalImage[Width]`, `OriginalImage[Height]`.
 */
export function columnNames(fields: readonly string[]): string[] {
  const names: string[] = [];
  let prefix: string | null = null;
  for (const raw of fields) {
    const field = raw.trim();
    if (prefix === null) {
      const open = field.indexOf('[');
      if (open >= 0 && !field.includes(']')) {
        prefix = field.slice(0, open);
        names.push(`${prefix}[${field.slice(open + 1)}]`);
      } else names.push(field);
    } else {
      const close = field.endsWith(']');
      names.push(`${prefix}[${close ? field.slice(0, -1) : field}]`);
      if (close) prefix = null;
    }
  }
  return names;
}

async function readText(file: string, limit?: number): Promise<string> {
  const gzip = /\.gz$/i.test(file);
  let bytes: Buffer;
  if (limit === undefined) bytes = await fs.readFile(file);
  else {
    const handle = await fs.open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(limit), 0, limit, 0);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  // A prefix of a gzip stream inflates as far as it goes with a sync flush.
  if (gzip) bytes = zlib.gunzipSync(bytes, limit === undefined ? {} : { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** The column names of a CSV file's first line (for format detection), or null when it has none. */
export async function readColumns(file: string): Promise<string[] | null> {
  const text = await readText(file, HEADER_BYTES).catch(() => null);
  const line = text?.split('\n')[0]?.replace(/\r$/, '');
  if (!line) return null;
  try {
    const [fields] = parse(line, { relax_column_count: true, relax_quotes: true }) as string[][];
    return fields ? columnNames(fields) : null;
  } catch {
    return null;
  }
}

/** Reads a whole label file. Throws with the file name when it is not CSV. */
export async function readTable(file: string): Promise<LabelTable> {
  const text = await readText(file);
  let parsed: { record: string[]; raw: string }[];
  try {
    parsed = parse(text, { raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { record: string[]; raw: string }[];
  } catch (error) {
    throw new Error(`${path.basename(file)}: not a readable CSV file (${(error as Error).message})`);
  }
  if (parsed.length === 0) throw new Error(`${path.basename(file)}: empty file`);
  const firstBreak = text.indexOf('\n');
  const lineBreak = firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  const strip = (raw: string): string => raw.replace(/\r?\n$/, '').replace(/\r$/, '');
  return {
    file,
    name: path.basename(file),
    gzip: /\.gz$/i.test(file),
    headerLine: strip(parsed[0].raw),
    columns: columnNames(parsed[0].record),
    records: parsed.slice(1).map((p) => p.record),
    raw: parsed.slice(1).map((p) => strip(p.raw)),
    lineBreak,
    finalLineBreak: /\n$/.test(text),
  };
}

/** Index of each column name; throws naming the file and the first missing required column. */
export function columnIndex(table: LabelTable, required: readonly string[]): Map<string, number> {
  const index = new Map(table.columns.map((name, i) => [name, i]));
  const missing = required.find((name) => !index.has(name));
  if (missing) throw new Error(`${table.name}: no "${missing}" column`);
  return index;
}

/**
 * Writes `table` to `target` (gzipped when the source was): the header line and unchanged records exactly as
 * read, the records in `changed` (by record index) stringified.
 */
export async function writeTable(table: LabelTable, changed: ReadonlyMap<number, string[]>, target: string): Promise<void> {
  const lines = [table.headerLine];
  table.raw.forEach((raw, r) => {
    const record = changed.get(r);
    lines.push(record ? stringify([record], { record_delimiter: 'unix' }).replace(/\n$/, '') : raw);
  });
  const text = lines.join(table.lineBreak) + (table.finalLineBreak ? table.lineBreak : '');
  await writeAtomically(target, table.gzip ? zlib.gzipSync(text) : text);
}
