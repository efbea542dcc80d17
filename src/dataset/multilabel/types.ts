// The multi-label label model: every image has a state per finding, as the large public chest X-ray sets are
// labelled (NIH ChestX-ray14, CheXpert, MIMIC-CXR-JPG, VinDr-CXR, PadChest).
import type { DatasetProblem } from '../types';

/**
 * What a label file says about one finding on one image:
 * - `positive`: present (CheXpert/MIMIC `1`, NIH and PadChest: listed, VinDr: a majority of readers said 1);
 * - `negative`: absent (CheXpert/MIMIC `0`, NIH and PadChest: not listed, VinDr: a majority said 0);
 * - `uncertain`: CheXpert/MIMIC `-1` ("may be present"), or VinDr readers split evenly;
 * - `unmentioned`: CheXpert/MIMIC blank (the report does not mention it), or no label for the image at all.
 */
export type FindingState = 'positive' | 'negative' | 'uncertain' | 'unmentioned';

/** One state per finding name; a finding missing from the record is `unmentioned`. */
export type Findings = Record<string, FindingState>;

/** The label files this module reads, by the name of the set that distributes them. */
export type MultiLabelFormat = 'nih' | 'chexpert' | 'mimic' | 'vindr' | 'padchest';

/**
 * Metadata keys every importer fills when its files have them (all values are strings, as in a manifest):
 * `patient_id`, `study_id`, `view` (PA, AP, Lateral, ...), `sex`, `age` (years), `split` (`train`,
 * `validation` or `test`, from the set's own split files).
 */
export type MetadataKey = 'patient_id' | 'study_id' | 'view' | 'sex' | 'age' | 'split';

/** One image of a multi-label set. */
export interface MultiLabelItem {
  /** Path relative to the dataset root, '/' separators: the item id of the dataset scan. */
  id: string;
  /** For every finding of the import (see {@link MultiLabelImport.findings}). */
  findings: Findings;
  metadata: Partial<Record<MetadataKey, string>>;
  /** VinDr-CXR: each reader's own labels by `rad_id` (`findings` is their majority consensus). */
  readers?: Record<string, Findings>;
}

/** A parsed CSV label file, kept so curated labels can be written back in the same shape. */
export interface LabelTable {
  file: string;
  /** Base name, for messages. */
  name: string;
  gzip: boolean;
  /** The first line exactly as in the file (written back verbatim: NIH's bracketed names contain commas). */
  headerLine: string;
  /** Column names; NIH's `OriginalImage[Width,Height]` becomes `OriginalImage[Width]`, `OriginalImage[Height]`. */
  columns: string[];
  records: string[][];
  /** Each record's text as in the file (without its line break): unchanged rows are written back byte for byte. */
  raw: string[];
  lineBreak: '\n' | '\r\n';
  finalLineBreak: boolean;
}

/** Which items a label-file record describes: one image, or every image of a study (MIMIC-CXR). */
export interface RecordLink {
  table: number;
  record: number;
  itemIds: string[];
}

export interface MultiLabelImport {
  format: MultiLabelFormat;
  /** The label files read (absolute paths), the ones an export writes back. */
  labelFiles: string[];
  /** Finding names in the order of the file's columns (NIH and PadChest: the set's names, then any others, sorted). */
  findings: string[];
  /** One per image file found under the dataset folder that the files label. */
  items: MultiLabelItem[];
  /** Rows whose image file is not under the dataset folder: `where` is `file:line`. */
  missing: DatasetProblem[];
  /** Other row problems (unparseable values, duplicates, ambiguous file names). */
  problems: DatasetProblem[];
  tables: LabelTable[];
  links: RecordLink[];
}

/** How `openDataset` treats multi-label files. */
export interface MultiLabelOptions {
  /** Read this format even when the header would not say so; default: detected from the headers. */
  format?: MultiLabelFormat;
  /** The label file to read (default: found at the dataset root by its header). */
  labelFile?: string;
}

/** What `openDataset` records about a multi-label dataset (`Dataset.multiLabel`). */
export interface MultiLabelInfo {
  format: MultiLabelFormat;
  labelFiles: string[];
  findings: string[];
}
