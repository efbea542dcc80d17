import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isLateral, isPatientFolderLayout, notAnImageReason } from './dicom/scanRules';
import { FileFactsCache } from './fileCache';
import type { FileFacts } from './fileCache';
import { readImageList } from './imageList';
import type { JournalEntry, JournalState } from './journalEntry';
import { replayJournal } from './journalEntry';
import { readJournal } from './journalFiles';
import { readManifest } from './manifest';
import { mapLimit } from './mapLimit';
import { consensusState, readConsensusRule, READERS_FILE_NAME, unsettledWarning } from './readers/readersConfig';
import type { ManifestRow } from './manifest';
import { importProblems, MultiLabelLookup, readMultiLabel } from './multilabel/datasetItems';
import { folderLabel } from './safePath';
import { labelSources, scanFingerprint } from './scanFingerprint';
import type { FileStamp } from './scanFingerprint';
import type { Dataset, DatasetItem, DatasetProblem, OpenDatasetOptions } from './types';
import { walkDataset } from './walk';
import type { FoundFile } from './walk';

/** Files read at once while hashing: enough to hide disk latency, few enough for 2 cores. */
const HASH_CONCURRENCY = 8;
/** `onRead` hears of every this many files read. */
const PROGRESS_EVERY = 500;

/**
 * Opens a dataset folder: class subfolders (the Keras `flow_from_directory` layout), unlabelled images at the
 * root or in `unlabeled/`, an optional CSV manifest (labels and metadata), an optional image list selecting
 * a subset, and the label journal on top. Bad files and rows become item errors or problems; only a
 * missing or unreadable root folder throws.
 */
export async function openDataset(root: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const datasetRoot = path.resolve(root);
  const rootStat = await fs.stat(datasetRoot).catch(() => null);
  if (!rootStat?.isDirectory()) throw new Error(`dataset folder not found: ${datasetRoot}`);

  const problems: DatasetProblem[] = [];
  const warnings: string[] = [];
  const journal = await readJournal(datasetRoot).catch((error: NodeJS.ErrnoException) => {
    warnings.push(`label journal not read (${error.code ?? error.message}): folder and manifest labels only`);
    return { entries: [], warnings: [] };
  });
  const state = await labelsByReaders(datasetRoot, journal.entries, replayJournal(journal.entries), warnings);
  warnings.push(...journal.warnings);

  const manifestPath = await findManifest(datasetRoot, options.manifest);
  const manifestRows = new Map<string, ManifestRow>();
  if (manifestPath) {
    const manifest = await readManifest(datasetRoot, manifestPath);
    problems.push(...manifest.problems);
    // Rows keep following files that "apply labels to folders" moved.
    for (const [id, row] of manifest.rows) {
      const current = state.moves.get(id) ?? id;
      manifestRows.set(current, { ...row, id: current });
    }
  }

  const walk = await walkDataset(datasetRoot);
  problems.push(...walk.problems);
  const found = new Map(walk.files.map((file) => [file.id, file]));
  let selected: FoundFile[];
  if (options.files) {
    const list = await readImageList(datasetRoot, path.resolve(options.files));
    problems.push(...list.problems);
    selected = [];
    for (const listed of list.ids) {
      const id = state.moves.get(listed) ?? listed;
      const file = found.get(id);
      if (file) selected.push(file);
      else problems.push({ where: path.basename(options.files), reason: `listed image not found: ${listed}` });
    }
  } else {
    selected = walk.files;
    for (const row of manifestRows.values()) {
      if (!found.has(row.id)) problems.push({ where: `${path.basename(manifestPath!)}:${row.line}`, reason: `no image file at ${row.id}` });
    }
  }

  // A multi-label file labels findings, not classes: its folders (NIH's images/) are not classes.
  const imported = await readMultiLabel(datasetRoot, walk.files, manifestPath, options);
  const multiLabel = imported ? new MultiLabelLookup(imported) : null;
  if (imported) problems.push(...importProblems(imported, !options.files));
  if (options.onListed) {
    const folders = multiLabel ? [] : walk.classFolders;
    options.onListed(selected.map((file) => withFindings(makeItem(file, null, manifestRows.get(file.id), folders), multiLabel)));
  }
  const cache = await FileFactsCache.load(datasetRoot);
  let filesRead = 0;
  const read = await mapLimit(selected, HASH_CONCURRENCY, async (file) => {
    options.signal?.throwIfAborted();
    const facts = file.error ? null : await cache.facts(file.id, file.absPath).catch((error: NodeJS.ErrnoException) => ({ error: `unreadable: ${error.code ?? error.message}` }));
    if (++filesRead % PROGRESS_EVERY === 0) options.onRead?.(filesRead, selected.length);
    return { file, id: file.id, facts };
  });
  const scanned = read.filter(({ id, facts }) => {
    const skipped = notAnImageReason(facts);
    if (skipped) problems.push({ where: id, reason: skipped });
    return !skipped;
  });
  // A raw archive export: its patient folders are not classes, its images come in unlabelled.
  const patientFolders = !multiLabel && isPatientFolderLayout(scanned, walk.dicomdirs.some((id) => !id.includes('/')));
  if (patientFolders) warnings.push('the top-level folders hold DICOM images of one patient each (an archive export): they are not taken for classes');
  const classFolders = multiLabel || patientFolders ? [] : walk.classFolders;
  const classes = classesOf(classFolders, manifestRows, state);
  const items: DatasetItem[] = [];
  for (const { file, facts } of scanned) {
    const item = withFindings(makeItem(file, facts, manifestRows.get(file.id), classFolders, !patientFolders), multiLabel);
    if (options.views === 'frontal' && isLateral(item, facts)) problems.push({ where: item.id, reason: 'lateral view skipped' });
    else items.push(item);
  }
  const unlabelled = multiLabel?.unlabelledWarning(items);
  if (unlabelled) warnings.push(unlabelled);
  // Skipped files keep their cached facts: the next open does not read them again either.
  if (!options.files) cache.retainOnly(new Set(selected.map((file) => file.id)));
  const cacheWarning = await cache.save();
  if (cacheWarning) warnings.push(cacheWarning);

  const listPath = options.files ? path.resolve(options.files) : null;
  const dataset: Dataset = { root: datasetRoot, classes, items, problems, warnings, manifestPath, listPath };
  if (imported) dataset.multiLabel = { format: imported.format, labelFiles: imported.labelFiles, findings: imported.findings };
  if (options.fingerprint && !options.files) {
    // The stamps the facts were read under: a file changed since then gives the next fingerprint another value.
    const stampAt = (index: number): FileStamp => {
      const facts = read[index].facts;
      return facts && 'size' in facts ? { size: facts.size, mtimeMs: facts.mtimeMs } : null;
    };
    dataset.fingerprint = await scanFingerprint(datasetRoot, read, stampAt, labelSources(dataset));
  }
  applyJournalState(dataset, state);
  return dataset;
}

/** The journal state, with the readers' consensus as the labels when the dataset has a rule (`readers.json`). */
async function labelsByReaders(root: string, entries: readonly JournalEntry[], state: JournalState, warnings: string[]): Promise<JournalState> {
  const rule = await readConsensusRule(root).catch((error: Error) => {
    warnings.push(`${READERS_FILE_NAME} not read (${error.message}): the latest edit gives each label`);
    return null;
  });
  if (!rule) return state;
  const consensus = consensusState(state, entries, rule);
  const warning = unsettledWarning(rule, consensus.unsettled);
  if (warning) warnings.push(warning);
  return consensus.state;
}

/** Sets every item's effective label, flag and note from a journal state (after edits, merges, undo). */
export function applyJournalState(dataset: Dataset, state: JournalState): void {
  for (const item of dataset.items) {
    const override = state.overrides.get(item.id);
    item.label = override?.label !== undefined ? override.label : item.sourceLabel;
    item.flagged = override?.flagged ?? false;
    if (override?.note) item.note = override.note;
    else delete item.note;
    if (item.sourceFindings) item.findings = override?.findings ? { ...item.sourceFindings, ...override.findings } : item.sourceFindings;
  }
  const labels = new Set(dataset.classes);
  for (const override of state.overrides.values()) if (override.label) labels.add(override.label);
  dataset.classes = [...labels].sort();
}

/**
 * Builds one item from what the scan found; exported for the watcher, which adds items one by one. Metadata comes
 * from the manifest row, else from the DICOM header; `folderLabels` false: top-level folders give no label.
 */
export function makeItem(file: FoundFile, facts: Partial<FileFacts> | null, row: ManifestRow | undefined, classFolders: readonly string[], folderLabels = true): DatasetItem {
  const fromFolder = folderLabels ? folderLabel(file.id) : null;
  const item: DatasetItem = {
    id: file.id,
    absPath: file.absPath,
    sourceLabel: row?.label ?? fromFolder,
    label: null,
    flagged: false,
    hash: facts?.hash ?? null,
    metadata: row?.metadata ?? { ...facts?.dicom?.metadata },
  };
  if (facts?.header) {
    item.format = facts.header.kind;
    item.width = facts.header.width;
    item.height = facts.header.height;
  }
  const error = file.error ?? facts?.error;
  if (error) item.error = error;
  else if (row?.label && classFolders.length > 0 && !classFolders.includes(row.label)) {
    item.error = `unknown label "${row.label}" in the manifest (class folders: ${classFolders.join(', ')})`;
  }
  return item;
}

function withFindings(item: DatasetItem, multiLabel: MultiLabelLookup | null): DatasetItem {
  multiLabel?.apply(item);
  return item;
}

function classesOf(classFolders: readonly string[], rows: ReadonlyMap<string, ManifestRow>, state: JournalState): string[] {
  // With class folders, the folders are the classes; a flat dataset takes its classes from the manifest.
  const classes = new Set(classFolders);
  if (classes.size === 0) for (const row of rows.values()) if (row.label) classes.add(row.label);
  for (const override of state.overrides.values()) if (override.label) classes.add(override.label);
  return [...classes].sort();
}

async function findManifest(root: string, given: string | undefined): Promise<string | null> {
  if (given) return path.resolve(given);
  const fallback = path.join(root, 'manifest.csv');
  return (await fs.stat(fallback).catch(() => null))?.isFile() ? fallback : null;
}
