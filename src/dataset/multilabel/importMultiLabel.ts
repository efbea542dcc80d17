// Finds a multi-label file at a dataset's root by its header (or takes the one named), and reads it onto the
// image files found under the folder.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { chexpertFormat } from './chexpert';
import { isCsvName, readColumns, readTable } from './csvTable';
import { FileIndex } from './fileIndex';
import type { FormatHandler } from './format';
import { mimicFormat } from './mimic';
import { nihFormat } from './nih';
import { padchestFormat } from './padchest';
import type { MultiLabelFormat, MultiLabelImport, MultiLabelOptions } from './types';
import { vindrFormat } from './vindr';

/** Detection order: a header matching several formats (none does today) goes to the first. */
export const FORMAT_HANDLERS: readonly FormatHandler[] = [nihFormat, chexpertFormat, mimicFormat, vindrFormat, padchestFormat];

/** The single-label manifest is never a multi-label file. */
const MANIFEST_NAME = 'manifest.csv';

export function formatHandler(format: MultiLabelFormat): FormatHandler {
  const handler = FORMAT_HANDLERS.find((h) => h.format === format);
  if (!handler) throw new RangeError(`unknown multi-label format "${format}" (known: ${FORMAT_HANDLERS.map((h) => h.format).join(', ')})`);
  return handler;
}

export interface DetectedLabels {
  handler: FormatHandler;
  /** Absolute paths of the label files to read. */
  files: string[];
  /** Names of the files at the root. */
  rootNames: string[];
}

/** The multi-label files at `root` and their format, or null when there are none (a single-label folder). */
export async function detectLabelFiles(root: string, options: MultiLabelOptions = {}): Promise<DetectedLabels | null> {
  const entries = await fs.readdir(root, { withFileTypes: true });
  const rootNames = entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name).sort();
  const candidates = options.labelFile ? [path.resolve(root, options.labelFile)] : rootNames.filter((n) => isCsvName(n) && n !== MANIFEST_NAME).map((n) => path.join(root, n));
  const handlers = options.format ? [formatHandler(options.format)] : FORMAT_HANDLERS;
  const matches = new Map<FormatHandler, string[]>();
  for (const file of candidates) {
    const columns = await readColumns(file);
    const handler = columns && handlers.find((h) => h.isLabelFile(path.basename(file), columns));
    if (handler) matches.set(handler, [...(matches.get(handler) ?? []), file]);
  }
  const handler = handlers.find((h) => matches.has(h));
  if (!handler) {
    // A file the user named is read as the format the user named even when its header is unusual.
    if (options.labelFile && options.format) return { handler: handlers[0], files: candidates, rootNames };
    if (options.labelFile || options.format) throw new Error(`no ${options.format ?? 'multi-label'} label file found${options.labelFile ? ` in ${options.labelFile}` : ` at ${root}`}`);
    return null;
  }
  const byName = new Map(matches.get(handler)!.map((file) => [path.basename(file), file]));
  return { handler, files: handler.chooseFiles([...byName.keys()].sort()).map((name) => byName.get(name)!), rootNames };
}

/**
 * Reads a folder's multi-label files onto the image files `fileIds` (ids relative to `root`), or returns null
 * when the folder has none. Rows whose image is not among `fileIds` are listed in `missing`.
 */
export async function importMultiLabel(root: string, fileIds: Iterable<string>, options: MultiLabelOptions = {}): Promise<MultiLabelImport | null> {
  const datasetRoot = path.resolve(root);
  const detected = await detectLabelFiles(datasetRoot, options);
  if (!detected) return null;
  return importDetected(datasetRoot, detected, new FileIndex(fileIds));
}

export async function importDetected(root: string, detected: DetectedLabels, files: FileIndex): Promise<MultiLabelImport> {
  const tables = await Promise.all(detected.files.map((file) => readTable(file)));
  const read = await detected.handler.read({ root, tables, files, rootNames: detected.rootNames });
  return { format: detected.handler.format, labelFiles: detected.files, tables, ...read };
}
