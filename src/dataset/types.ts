import type { ViewFilter } from './dicom/scanRules';
import type { Findings, MultiLabelInfo, MultiLabelOptions } from './multilabel/types';

/** One image of a dataset, as the gallery, the ML code and the command-line tool see it. */
export interface DatasetItem {
  /** Path relative to the dataset root with '/' separators: the stable id. */
  id: string;
  absPath: string;
  /** From the class folder or the manifest. */
  sourceLabel: string | null;
  /** Effective label: `sourceLabel` overridden by the label journal. */
  label: string | null;
  flagged: boolean;
  /** Latest journal note, if any. */
  note?: string;
  /** sha256 hex of the file content; null when unreadable. */
  hash: string | null;
  /**
   * Manifest columns other than path/label (patient_id, source, view, split, ...). A DICOM file with no manifest
   * row gets its header's: `patient_id` and `study` as salted pseudonyms (`dcm:…`), never the raw identifiers.
   */
  metadata: Record<string, string>;
  /** Multi-label datasets only: the state of every finding of `Dataset.multiLabel.findings` (`label` is null), after the journal. */
  findings?: Findings;
  /** The findings as the label file gives them, before the journal. */
  sourceFindings?: Findings;
  /** Image header facts, when the header could be read. */
  format?: string;
  width?: number;
  height?: number;
  /** Why this item cannot be used (shown to the user); absent when fine. */
  error?: string;
}

/** A problem that has no item of its own (a manifest row, a list line, a folder). */
export interface DatasetProblem {
  /** What the problem is about: a relative path, `manifest.csv:12`, `paper-A.txt:3`. */
  where: string;
  reason: string;
}

export interface Dataset {
  root: string;
  classes: string[];
  items: DatasetItem[];
  /** Problems not tied to a usable item (bad manifest rows, list lines, symlinked folders). */
  problems: DatasetProblem[];
  /** Things the user should know that do not affect any item (skipped journal lines, cache not saved). */
  warnings: string[];
  /** The manifest that was read, if any. */
  manifestPath: string | null;
  /** The image list that selected a subset, if any (the watcher then adds no new files). */
  listPath: string | null;
  /** Set when a multi-label file (NIH, CheXpert, MIMIC-CXR, VinDr-CXR, PadChest) labels the folder. */
  multiLabel?: MultiLabelInfo;
  /** What the scan depended on, hashed (`scanFingerprint`), when asked for: a reopen compares it with the folder's. */
  fingerprint?: string;
}

export interface OpenDatasetOptions {
  /** An image list file (one relative path per line) selecting a subset. */
  files?: string;
  /** A CSV manifest; default `<root>/manifest.csv` when it exists. */
  manifest?: string;
  /**
   * How to read a multi-label file, or false to never look for one. Default: a label file at the root is
   * detected by its header unless a manifest is used.
   */
  multiLabel?: MultiLabelOptions | false;
  /** `frontal`: lateral views (by DICOM header or a `view` column) are skipped, each with a problem line. */
  views?: ViewFilter;
  /**
   * The files are known and these items provisional (labels from folders, manifest and label file; no hashes, no
   * headers, DICOM archive layouts not yet recognised): a gallery can show them before every file is read.
   */
  onListed?: (items: DatasetItem[]) => void;
  /** That many of the listed files have been read. */
  onRead?: (done: number, total: number) => void;
  /** Stops the scan (it rejects with the signal's reason): the gallery that wanted it was closed. */
  signal?: AbortSignal;
  /** Set `Dataset.fingerprint` (a default open only: no image list). */
  fingerprint?: boolean;
}

