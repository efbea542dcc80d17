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
  /** URL the webview may load the image from (a webview resource URI); absent when the item is unreadable. */
  imageUrl?: string;
  /** Why the item cannot be used; shown on its tile. */
  error?: string;
}

export interface DatasetSummary {
  /** Folder name shown in the title. */
  name: string;
  /** Absolute folder, kept in the webview's state so the serializer can reopen it after a reload (validated then). */
  root: string;
  classes: string[];
  /** Number of items per class, plus `unlabeled` for items without a label. */
  counts: Record<string, number>;
}

//#region to webview

export interface ReadyReply {
  type: 'ready';
  dataset: DatasetSummary;
  items: GalleryItem[];
  /** False in Restricted Mode: the gallery is read-only. */
  editable: boolean;
}

export interface ErrorReply {
  type: 'error';
  message: string;
}

/** Sent when the dataset changed on disk or in the journal. */
export interface ItemsChangedEvent {
  type: 'itemsChanged';
  dataset: DatasetSummary;
  items: GalleryItem[];
}

/** A problem the user should see in the gallery itself (where they are looking). */
export interface ShowErrorEvent {
  type: 'showError';
  message: string;
}

export type ToWebviewBody = ReadyReply | ErrorReply | ItemsChangedEvent | ShowErrorEvent;

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

export type FromWebviewBody = ReadyRequest | RenderedEvent;

//#endregion

export type ToWebviewMessage = WebviewMessage<ToWebviewBody>;
export type FromWebviewMessage = WebviewMessage<FromWebviewBody>;

/** Checks a message received from the webview. Returns the typed message, or a reason it was refused. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | { refused: string } {
  if (!isRecord(raw)) return { refused: 'message is not an object' };
  if (!isCount(raw.messageId)) return { refused: 'messageId must be a non-negative integer' };
  if (raw.inReplyTo !== undefined && !isCount(raw.inReplyTo)) return { refused: 'inReplyTo must be a non-negative integer' };
  const body = raw.body;
  if (!isRecord(body) || typeof body.type !== 'string') return { refused: 'body.type is missing' };
  const envelope = { messageId: raw.messageId, inReplyTo: raw.inReplyTo as number | undefined };
  switch (body.type) {
    case 'ready':
      return { ...envelope, body: { type: 'ready' } };
    case 'rendered':
      if (!isCount(body.itemCount) || !isCount(body.classCount) || !isCount(body.visibleTiles)) {
        return { refused: 'rendered: counts must be non-negative integers' };
      }
      return {
        ...envelope,
        body: { type: 'rendered', itemCount: body.itemCount, classCount: body.classCount, visibleTiles: body.visibleTiles },
      };
    default:
      return { refused: `unknown message type ${JSON.stringify(body.type).slice(0, 60)}` };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
