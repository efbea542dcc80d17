// The one typed protocol between the extension host and the gallery webview.
// Every message is wrapped in a `WebviewMessage` envelope; requests carry a `messageId` and are answered by a
// message whose `inReplyTo` names it and whose body is the reply or an `ErrorReply` (as in vscode-hexeditor).
// The host never trusts what arrives: `parseFromWebview` checks the shape of every message before it is acted on.

export interface WebviewMessage<T> {
  messageId: number;
  inReplyTo?: number;
  body: T;
}

/** What the webview shows of one dataset item. Paths never cross the boundary: only ids relative to the root. */
export interface GalleryItem {
  /** Path relative to the dataset root with `/` separators: the stable item id. */
  id: string;
  /** The effective label (folder or manifest, overridden by the journal); null when unlabelled. */
  label: string | null;
  flagged: boolean;
  /** Latest journal note. */
  note?: string;
  /** URL the webview may load the image from (a webview resource URI); absent when the item is unreadable. */
  imageUrl?: string;
  /** URL of the cached small thumbnail, once it exists; tiles prefer it over `imageUrl`. */
  thumbUrl?: string;
  /** Why the item cannot be used; shown on its tile. */
  error?: string;
  /** Manifest columns (source, patient_id, view, ...) for search and filters; content hashes left out. */
  metadata?: Record<string, string>;
  /** The split the current model was trained with (train / val / test), when known. */
  split?: string;
  /** The current model's prediction, when a model has scored this item. */
  prediction?: ItemPrediction;
  /** Label-issue score (higher = more likely mislabelled), when computed. */
  issueScore?: number;
  /** The label the audit suggests instead, when it found this item likely mislabelled (the issue queue). */
  suggestedLabel?: string;
  /** Multi-label items: the findings labelled positive and those labelled uncertain (the rest are negative or not mentioned). */
  findings?: { positive: string[]; uncertain: string[] };
}

export interface ItemPrediction {
  predicted: string;
  /** Probability of the predicted class, 0…1. */
  confidence: number;
  /** Top-1 minus top-2 probability, 0…1. */
  margin: number;
  /** The predicted class differs from the one the previous model version predicted. */
  changed: boolean;
}

export interface DatasetSummary {
  /** Folder name shown in the title. */
  name: string;
  /** Absolute folder, kept in the webview's state so the serializer can reopen it after a reload (validated then). */
  root: string;
  classes: string[];
  /** Number of items per class, plus `unlabeled` for items without a label. */
  counts: Record<string, number>;
  /** Version of the model whose predictions are shown (e.g. `v3`), when there is one. */
  model?: string;
}

/** One journal entry about an item, as the detail view lists it. */
export interface HistoryEntry {
  time: string;
  user: string;
  kind: string;
  old: string | boolean | null;
  new: string | boolean | null;
  /** Model version and confidence shown when the edit was made. */
  model?: string;
  confidence?: number;
  /** Written by undo or redo. */
  via?: 'undo' | 'redo';
}

/** A filter set from outside the webview (a command, the side bar): the gallery shows exactly this. */
export interface GalleryFilterRequest {
  /** A class, or null for unlabelled items. */
  label?: string | null;
  predicted?: string;
  correctness?: 'correct' | 'misclassified';
  flagged?: boolean;
  /** Only items whose prediction changed with the last retrain. */
  changedOnly?: boolean;
  split?: string;
  source?: string;
  search?: string;
  sort?: 'name' | 'confidence' | 'margin' | 'issue';
  descending?: boolean;
  /** Walk the label-issue queue (items with a suggested label, most suspicious first) within the filter. */
  issueQueue?: boolean;
}

//#region to webview

export interface ReadyReply {
  type: 'ready';
  dataset: DatasetSummary;
  items: GalleryItem[];
  /** False in Restricted Mode: the gallery is read-only. */
  editable: boolean;
  /** Problems found while opening (bad manifest rows, skipped journal lines), shown in the banner. */
  warnings: string[];
  /** A filter asked for before the webview was ready; replaces the saved one. */
  filter?: GalleryFilterRequest;
}

export interface ErrorReply {
  type: 'error';
  message: string;
}

/** Reply to an edit: it is durable in the journal; the items it changed arrive as `itemsPatched`. */
export interface DoneReply {
  type: 'done';
  /** How many journal entries were written (0: nothing to undo or redo). */
  entries: number;
}

export interface DetailReply {
  type: 'detail';
  id: string;
  /** The original file at full resolution. */
  imageUrl?: string;
  width?: number;
  height?: number;
  format?: string;
  metadata: Record<string, string>;
  /** Class probabilities of the current model, highest first; empty without a model. */
  probabilities: { label: string; probability: number }[];
  history: HistoryEntry[];
  /** A saliency map can be asked for (`SaliencyRequest`): a model has predicted this item. */
  saliencyAvailable: boolean;
  /** DICOM: its tags can be asked for (`DicomTagsRequest`). */
  dicom?: boolean;
  /** DICOM or 16-bit PNG: its full-range pixels can be asked for (`PixelsRequest`), for window/level. */
  fullRange?: boolean;
}

/** One attribute of a DICOM file for the detail view. */
export interface DicomTagRow {
  /** '(0010,0010)' */
  tag: string;
  keyword: string;
  vr: string;
  /** Nesting depth in sequences (0 = top level). */
  depth: number;
  /** Display text; null when the attribute identifies the patient: its value never leaves the host. */
  value: string | null;
}

export interface DicomTagsReply {
  type: 'dicomTags';
  id: string;
  tags: DicomTagRow[];
}

/** The image's full-range values (see `shared/fullRange.ts`), downsampled to at most 2,048 px on the long side. */
export interface PixelsReply {
  type: 'pixels';
  id: string;
  width: number;
  height: number;
  /** Row-major 16-bit codes: value = offset + code · step; 0xFFFF = padding. Sent as a typed array. */
  codes: Uint16Array;
  offset: number;
  step: number;
  /** Lowest and highest value outside the padding. */
  min: number;
  max: number;
  /** The file's default window (or its value range), what the thumbnail shows. */
  centre: number;
  windowWidth: number;
  /** MONOCHROME1: high values are dark. */
  inverted: boolean;
}

/** Grad-CAM of the item's predicted class under the latest model version. */
export interface SaliencyReply {
  type: 'saliency';
  id: string;
  /** N of the model version `vN` that was explained. */
  modelVersion: number;
  /** The class explained: the one the model predicts. */
  className: string;
  /** Grid size; the grid covers the whole image (the backbone sees it squashed to a square). */
  width: number;
  height: number;
  /** Row-major `height × width` values in [0, 1]; 1 is the strongest evidence for `className`. */
  values: number[];
}

/** Everything changed (reopened dataset): replaces the item list. */
export interface ItemsChangedEvent {
  type: 'itemsChanged';
  dataset: DatasetSummary;
  items: GalleryItem[];
}

/** Only some items changed (an edit, new predictions, files on disk): upserts by id and removals. */
export interface ItemsPatchedEvent {
  type: 'itemsPatched';
  dataset: DatasetSummary;
  /** Items that are new or changed, whole. */
  items: GalleryItem[];
  /** Ids of items that no longer exist. */
  removed: string[];
}

/** Workspace trust was granted while the gallery was open. */
export interface EditableChangedEvent {
  type: 'editableChanged';
  editable: boolean;
}

export interface SetFilterEvent {
  type: 'setFilter';
  filter: GalleryFilterRequest;
}

/** A problem the user should see in the gallery itself (where they are looking). */
export interface ShowErrorEvent {
  type: 'showError';
  message: string;
}

export type ToWebviewBody =
  | ReadyReply
  | ErrorReply
  | DoneReply
  | DetailReply
  | SaliencyReply
  | DicomTagsReply
  | PixelsReply
  | ItemsChangedEvent
  | ItemsPatchedEvent
  | EditableChangedEvent
  | SetFilterEvent
  | ShowErrorEvent;

//#endregion

//#region from webview

/** The handshake: sent once the webview's script runs; answered with `ReadyReply`. */
export interface ReadyRequest {
  type: 'ready';
}

/** The webview reports what it has rendered (used by tests and by the host's status). */
export interface RenderedEvent {
  type: 'rendered';
  itemCount: number;
  classCount: number;
  visibleTiles: number;
}

/** Sets the label of one or more items (one undo step); null makes them unlabelled. Answered with `DoneReply`. */
export interface RelabelRequest {
  type: 'relabel';
  ids: string[];
  label: string | null;
}

/** Flags or unflags items (one undo step). Answered with `DoneReply`. */
export interface FlagRequest {
  type: 'flag';
  ids: string[];
  flagged: boolean;
}

/** Undoes or redoes this session's last edit. Answered with `DoneReply`. */
export interface UndoRequest {
  type: 'undo' | 'redo';
}

/** Asks for the detail view of one item. Answered with `DetailReply`. */
export interface DetailRequest {
  type: 'detail';
  id: string;
}

/** Asks for the saliency map of one item, computed in a worker. Answered with `SaliencyReply` or an error. */
export interface SaliencyRequest {
  type: 'saliency';
  id: string;
}

/** Asks for the DICOM tags of one item (identifying values masked). Answered with `DicomTagsReply`. */
export interface DicomTagsRequest {
  type: 'dicomTags';
  id: string;
}

/** Asks for the full-range pixels of a DICOM or 16-bit PNG item, for window/level. Answered with `PixelsReply`. */
export interface PixelsRequest {
  type: 'pixels';
  id: string;
}

/** Tiles on screen that have no thumbnail yet; the host makes them and pushes them as `itemsPatched`. */
export interface ThumbnailsEvent {
  type: 'thumbnails';
  ids: string[];
}

export type FromWebviewBody =
  | ReadyRequest
  | RenderedEvent
  | RelabelRequest
  | FlagRequest
  | UndoRequest
  | DetailRequest
  | SaliencyRequest
  | DicomTagsRequest
  | PixelsRequest
  | ThumbnailsEvent;

//#endregion

export type ToWebviewMessage = WebviewMessage<ToWebviewBody>;
export type FromWebviewMessage = WebviewMessage<FromWebviewBody>;

/** Most items one edit may name: a bulk relabel of a whole filtered view of the largest datasets. */
export const MAX_IDS_PER_EDIT = 100_000;
/** Most thumbnails one message may ask for: a screen of the smallest tiles, with room to spare. */
const MAX_THUMBNAIL_IDS = 2000;
const MAX_ID_LENGTH = 1024;
const MAX_LABEL_LENGTH = 100;

/** Checks a message received from the webview. Returns the typed message, or a reason it was refused. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | { refused: string } {
  if (!isRecord(raw)) return { refused: 'message is not an object' };
  if (!isCount(raw.messageId)) return { refused: 'messageId must be a non-negative integer' };
  if (raw.inReplyTo !== undefined && !isCount(raw.inReplyTo)) return { refused: 'inReplyTo must be a non-negative integer' };
  const body = raw.body;
  if (!isRecord(body) || typeof body.type !== 'string') return { refused: 'body.type is missing' };
  const parsed = parseBody(body);
  if ('refused' in parsed) return { refused: `${body.type}: ${parsed.refused}` };
  return { messageId: raw.messageId, inReplyTo: raw.inReplyTo as number | undefined, body: parsed };
}

function parseBody(body: Record<string, unknown>): FromWebviewBody | { refused: string } {
  switch (body.type) {
    case 'ready':
      return { type: 'ready' };
    case 'undo':
    case 'redo':
      return { type: body.type };
    case 'rendered':
      if (!isCount(body.itemCount) || !isCount(body.classCount) || !isCount(body.visibleTiles)) {
        return { refused: 'counts must be non-negative integers' };
      }
      return { type: 'rendered', itemCount: body.itemCount, classCount: body.classCount, visibleTiles: body.visibleTiles };
    case 'relabel': {
      const ids = parseIds(body.ids, MAX_IDS_PER_EDIT);
      if (typeof ids === 'string') return { refused: ids };
      if (body.label !== null && (typeof body.label !== 'string' || body.label.length === 0 || body.label.length > MAX_LABEL_LENGTH)) {
        return { refused: `label must be null or a string of 1 to ${MAX_LABEL_LENGTH} characters` };
      }
      return { type: 'relabel', ids, label: body.label };
    }
    case 'flag': {
      const ids = parseIds(body.ids, MAX_IDS_PER_EDIT);
      if (typeof ids === 'string') return { refused: ids };
      if (typeof body.flagged !== 'boolean') return { refused: 'flagged must be a boolean' };
      return { type: 'flag', ids, flagged: body.flagged };
    }
    case 'thumbnails': {
      const ids = parseIds(body.ids, MAX_THUMBNAIL_IDS);
      if (typeof ids === 'string') return { refused: ids };
      return { type: 'thumbnails', ids };
    }
    case 'detail':
    case 'saliency':
    case 'dicomTags':
    case 'pixels': {
      const problem = itemIdProblem(body.id);
      if (problem) return { refused: problem };
      return { type: body.type, id: body.id as string };
    }
    default:
      return { refused: `unknown message type ${JSON.stringify(body.type).slice(0, 60)}` };
  }
}

/** The ids of a message, or why they are refused. */
function parseIds(value: unknown, max: number): string[] | string {
  if (!Array.isArray(value) || value.length === 0) return 'ids must be a non-empty array';
  if (value.length > max) return `at most ${max} ids per message`;
  for (const id of value) {
    const problem = itemIdProblem(id);
    if (problem) return problem;
  }
  return [...new Set(value as string[])];
}

/**
 * Why a value cannot be an item id, or null. Ids are relative paths with `/` separators inside the dataset:
 * anything absolute, with `.`/`..` or empty segments, backslashes or control characters is refused before the
 * host looks it up (the lookup in the dataset is the second check).
 */
export function itemIdProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'an id must be a non-empty string';
  if (value.length > MAX_ID_LENGTH) return `an id is longer than ${MAX_ID_LENGTH} characters`;
  if (/[\\\u0000-\u001f]/.test(value)) return `id ${JSON.stringify(value.slice(0, 80))} contains a backslash or a control character`;
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value)) return `id ${JSON.stringify(value.slice(0, 80))} is an absolute path`;
  if (value.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return `id ${JSON.stringify(value.slice(0, 80))} leaves the dataset or has empty segments`;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
