// The one typed protocol between the extension host and the gallery webview.
// Every message is wrapped in a `WebviewMessage` envelope; requests carry a `messageId` and are answered by a
// message whose `inReplyTo` names it and whose body is the reply or an `ErrorReply` (as in vscode-hexeditor).
// The host never trusts what arrives: `parseFromWebview` (parseMessage.ts) checks every message before it is acted on.
import type { AdjudicateRequest, ItemReading, StudyQueueRequest, StudySummary } from './readersProtocol';

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
  /**
   * Path of the cached small thumbnail under `GalleryUrls.thumbnails`, once it exists; tiles prefer it over the
   * original (`GalleryUrls.dataset` + the id). Relative paths keep 400,000 items' messages small.
   */
  thumb?: string;
  /** Why the item cannot be used (no image is shown); shown on its tile. */
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
  /** Why the audit suggests it: the label looks wrong, or the model is weak here (with its neighbours' vote). */
  issueReason?: string;
  /** Multi-label items: the state the audit suggests for one finding (the issue queue of a multi-label dataset). */
  suggestedFinding?: SuggestedFinding;
  /** Multi-label items: the findings labelled positive and those labelled uncertain (the rest are negative or not mentioned). */
  findings?: { positive: string[]; uncertain: string[] };
  /** Multi-label items the findings model scored: a probability per finding, in `DatasetSummary.findingModel.findings` order. */
  findingProbs?: number[];
  /** A dataset with a reading study: the item's readings as this reader may see them. */
  reading?: ItemReading;
}

/** The findings model whose probabilities the gallery shows. */
export interface FindingModel {
  /** e.g. `v2` (of the findings models, `models-multilabel/`). */
  model: string;
  findings: string[];
  /** Called positive at or above; null when the version could not choose one (then no colour). */
  thresholds: (number | null)[];
}

/** A finding label the audit finds likely wrong, or an uncertain one to resolve, with the state it suggests. */
export interface SuggestedFinding {
  finding: string;
  state: 'positive' | 'negative';
  /** An uncertain label to resolve rather than a likely error. */
  toResolve?: true;
}

/** The states a finding can be set to from the gallery (as in the journal). */
export type FindingLabel = 'positive' | 'negative' | 'uncertain' | 'unmentioned';

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
  /** Multi-label datasets: every finding of the label file, in its order. */
  findings?: string[];
  /** Multi-label datasets with a findings model. */
  findingModel?: FindingModel;
  /** The reading study (`readers.json`), when the dataset has one. */
  study?: StudySummary;
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
  /** Multi-label datasets: one finding, by its label or its agreement with the findings model. */
  finding?: string;
  findingState?: 'any' | 'positive' | 'uncertain' | 'negative' | 'disagreeing' | 'agreeing';
  sort?: 'name' | 'confidence' | 'margin' | 'issue' | 'finding';
  descending?: boolean;
  /** Walk the label-issue queue (items with a suggested label, most suspicious first) within the filter. */
  issueQueue?: boolean;
  /** Exactly these items, in this order (more like this, the map's selection, what to label next). */
  list?: ItemList;
}

/** An ordered list of items the host picked for the gallery to show: "more like this", a selection on the map, the active-learning queue. */
export interface ItemList {
  kind: 'similar' | 'region' | 'map' | 'next' | ReadingQueueKind;
  /** What the banner says the list is, e.g. "20 images most like COVID/a.png (embedding cosine)". */
  title: string;
  ids: string[];
  /** Per id, when the list is ranked: a similarity, or an active-learning score. */
  scores?: number[];
  /** What the scores are ("similarity", "uncertainty", "distance"). */
  scoreName?: string;
  /** Per id, a region list's match: where on the image the searched region was found. */
  boxes?: RegionBox[];
}

/** A box on an image in fractions of its width and height, from the top left. */
export interface RegionBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the webview loads images from: webview resource URLs of the dataset folder and of the thumbnail cache. */
export interface GalleryUrls {
  dataset: string;
  thumbnails?: string;
}

/** How far the scan of the folder has got, while the gallery already shows what it has (cached or provisional items). */
export interface ScanProgress {
  /** `reading`: files are hashed and their headers read (first open); `checking`: a cached scan is checked against the folder. */
  phase: 'reading' | 'checking';
  done: number;
  total: number;
}

//#region to webview

/**
 * The items of one generation (an open, a reopen, a rescan) arrive in pages: the first with the reply or event
 * that starts the generation, the rest as `ItemsPageEvent`s, in item-id order. A page of an older generation is
 * ignored; a new generation replaces the items.
 */
export interface ItemPages {
  /** The first page of the items. */
  items: GalleryItem[];
  /** How many items the generation has in all. */
  total: number;
  generation: number;
}

export interface ReadyReply extends ItemPages {
  type: 'ready';
  dataset: DatasetSummary;
  urls: GalleryUrls;
  /** Present while the folder is still being scanned. */
  scan?: ScanProgress;
  /** False in Restricted Mode: the gallery is read-only. */
  editable: boolean;
  /** Problems found while opening (bad manifest rows, skipped journal lines), shown in the banner. */
  warnings: string[];
  /** A filter asked for before the webview was ready; replaces the saved one. */
  filter?: GalleryFilterRequest;
}

/** Reply to `SimilarRequest`: the list to show. */
export interface ListReply {
  type: 'list';
  list: ItemList;
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
  /** Multi-label items: every finding of the dataset, its label and the findings model's probability. */
  findings?: { finding: string; state: FindingLabel; probability?: number; threshold?: number | null }[];
  /** A saliency map can be asked for (`SaliencyRequest`): a model has predicted this item. */
  saliencyAvailable: boolean;
  /** DICOM: its tags can be asked for (`DicomTagsRequest`). */
  dicom?: boolean;
  /** DICOM or 16-bit PNG: its full-range pixels can be asked for (`PixelsRequest`), for window/level. */
  fullRange?: boolean;
  /** A dataset with a reading study: the item's readings as this reader may see them. */
  reading?: ItemReading;
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

/** Grad-CAM of the item's predicted class under the latest model version, or of one finding under the findings model. */
export interface SaliencyReply {
  type: 'saliency';
  id: string;
  /** N of the model version `vN` that was explained (a findings model's with `model: 'findings'`). */
  modelVersion: number;
  model: 'classes' | 'findings';
  /** The class explained (the one the model predicts), or the finding asked for. */
  className: string;
  /** Grid size; the grid covers the whole image (the backbone sees it squashed to a square). */
  width: number;
  height: number;
  /** Row-major `height × width` values in [0, 1]; 1 is the strongest evidence for `className`. */
  values: number[];
}

/** Everything changed (the scan replaced cached or provisional items, files were moved): a new generation. */
export interface ItemsChangedEvent extends ItemPages {
  type: 'itemsChanged';
  dataset: DatasetSummary;
}

/** The next page of a generation's items, appended in order. */
export interface ItemsPageEvent {
  type: 'itemsPage';
  generation: number;
  items: GalleryItem[];
}

/** The scan goes on (`scan`), or is done (no `scan`): the progress bar and the counts follow it. */
export interface ScanProgressEvent {
  type: 'scanProgress';
  scan?: ScanProgress;
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

/** The list shown was ranked again (the active-learning queue after a retrain): shown if the gallery still shows a list of that kind. */
export interface ListUpdatedEvent {
  type: 'listUpdated';
  list: ItemList;
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
  | ListReply
  | DetailReply
  | SaliencyReply
  | DicomTagsReply
  | PixelsReply
  | ItemsChangedEvent
  | ItemsPageEvent
  | ScanProgressEvent
  | ItemsPatchedEvent
  | EditableChangedEvent
  | SetFilterEvent
  | ListUpdatedEvent
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

/** Sets one finding of one or more multi-label items (one undo step). Answered with `DoneReply`. */
export interface SetFindingRequest {
  type: 'setFinding';
  ids: string[];
  finding: string;
  state: FindingLabel;
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
  /** Multi-label items: the finding whose evidence to show, under the findings model. */
  finding?: string;
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

/** "More like this": the `k` items nearest to one by embedding cosine, computed in a worker. Answered with `ListReply`. */
export interface SimilarRequest {
  type: 'similar';
  id: string;
  k: number;
}

/** "Find this region": the `k` items holding something most like `box` drawn on item `id`. Answered with `ListReply`. */
export interface SimilarRegionRequest {
  type: 'similarRegion';
  id: string;
  box: RegionBox;
  k: number;
}

/** The focused and selected items, as they change (the map lights them up). */
export interface SelectionEvent {
  type: 'selection';
  ids: string[];
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
  | SetFindingRequest
  | UndoRequest
  | DetailRequest
  | SaliencyRequest
  | DicomTagsRequest
  | PixelsRequest
  | SimilarRequest
  | SimilarRegionRequest
  | SelectionEvent
  | ThumbnailsEvent
  | AdjudicateRequest
  | StudyQueueRequest;

//#endregion

export type ToWebviewMessage = WebviewMessage<ToWebviewBody>;
export type FromWebviewMessage = WebviewMessage<FromWebviewBody>;

export type * from './mapProtocol';
export type * from './readersProtocol';

/** The reading study's lists: the images waiting for this reader, the disagreements to adjudicate. */
export type ReadingQueueKind = 'read' | 'adjudicate';
