// Checks what the gallery webview sends before the host acts on it: shape, sizes and item ids.
import type { FindingLabel, FromWebviewBody, FromWebviewMessage, RegionBox } from './protocol';

const FINDING_LABELS: readonly FindingLabel[] = ['positive', 'negative', 'uncertain', 'unmentioned'];

/** Most items one edit may name: a bulk relabel of a whole filtered view of the largest datasets. */
export const MAX_IDS_PER_EDIT = 100_000;
/** Most neighbours "more like this" may ask for. */
export const MAX_SIMILAR = 1000;
/** Most thumbnails one message may ask for: a screen of the smallest tiles, with room to spare. */
const MAX_THUMBNAIL_IDS = 2000;
const MAX_ID_LENGTH = 1024;
const MAX_LABEL_LENGTH = 100;
const MAX_REASON_LENGTH = 2000;

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
    case 'setFinding': {
      const ids = parseIds(body.ids, MAX_IDS_PER_EDIT);
      if (typeof ids === 'string') return { refused: ids };
      const finding = findingProblem(body.finding);
      if (finding) return { refused: finding };
      if (!FINDING_LABELS.includes(body.state as FindingLabel)) return { refused: `state must be one of ${FINDING_LABELS.join(', ')}` };
      return { type: 'setFinding', ids, finding: body.finding as string, state: body.state as FindingLabel };
    }
    case 'thumbnails': {
      const ids = parseIds(body.ids, MAX_THUMBNAIL_IDS);
      if (typeof ids === 'string') return { refused: ids };
      return { type: 'thumbnails', ids };
    }
    case 'selection': {
      if (!Array.isArray(body.ids)) return { refused: 'ids must be an array' };
      if (body.ids.length === 0) return { type: 'selection', ids: [] };
      const ids = parseIds(body.ids, MAX_IDS_PER_EDIT);
      if (typeof ids === 'string') return { refused: ids };
      return { type: 'selection', ids };
    }
    case 'similar': {
      const problem = itemIdProblem(body.id);
      if (problem) return { refused: problem };
      if (!isCount(body.k) || body.k < 1 || body.k > MAX_SIMILAR) return { refused: `k must be a whole number from 1 to ${MAX_SIMILAR}` };
      return { type: 'similar', id: body.id as string, k: body.k };
    }
    case 'similarRegion': {
      const problem = itemIdProblem(body.id);
      if (problem) return { refused: problem };
      if (!isCount(body.k) || body.k < 1 || body.k > MAX_SIMILAR) return { refused: `k must be a whole number from 1 to ${MAX_SIMILAR}` };
      const box = parseBox(body.box);
      if (typeof box === 'string') return { refused: box };
      return { type: 'similarRegion', id: body.id as string, box, k: body.k };
    }
    case 'saliency': {
      const problem = itemIdProblem(body.id);
      if (problem) return { refused: problem };
      if (body.finding === undefined) return { type: 'saliency', id: body.id as string };
      const finding = findingProblem(body.finding);
      if (finding) return { refused: finding };
      return { type: 'saliency', id: body.id as string, finding: body.finding as string };
    }
    case 'adjudicate': {
      const problem = itemIdProblem(body.id);
      if (problem) return { refused: problem };
      if (typeof body.label !== 'string' || body.label.length === 0 || body.label.length > MAX_LABEL_LENGTH) return { refused: `label must be a string of 1 to ${MAX_LABEL_LENGTH} characters` };
      if (body.finding !== undefined) {
        const finding = findingProblem(body.finding);
        if (finding) return { refused: finding };
        if (!FINDING_LABELS.includes(body.label as FindingLabel)) return { refused: `a finding's decision must be one of ${FINDING_LABELS.join(', ')}` };
      }
      const decided = { type: 'adjudicate' as const, id: body.id as string, label: body.label, ...(body.finding !== undefined ? { finding: body.finding as string } : {}) };
      if (body.reason === undefined) return decided;
      if (typeof body.reason !== 'string' || body.reason.length > MAX_REASON_LENGTH) return { refused: `reason must be a string of at most ${MAX_REASON_LENGTH} characters` };
      return { ...decided, reason: body.reason };
    }
    case 'studyQueue':
      if (body.queue !== 'read' && body.queue !== 'adjudicate') return { refused: 'queue must be read or adjudicate' };
      return { type: 'studyQueue', queue: body.queue };
    case 'detail':
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

function findingProblem(finding: unknown): string | undefined {
  return typeof finding !== 'string' || finding.length === 0 || finding.length > MAX_LABEL_LENGTH ? `finding must be a string of 1 to ${MAX_LABEL_LENGTH} characters` : undefined;
}

/** A box inside the image (fractions of its sides), with some area; or why not. */
function parseBox(value: unknown): RegionBox | string {
  if (!isRecord(value)) return 'box must be an object {x, y, w, h}';
  const { x, y, w, h } = value;
  const numbers = [x, y, w, h];
  if (!numbers.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'box x, y, w and h must be finite numbers';
  const [bx, by, bw, bh] = numbers as number[];
  if (bx < 0 || by < 0 || bw <= 0 || bh <= 0 || bx + bw > 1 + 1e-6 || by + bh > 1 + 1e-6) return 'box must lie inside the image: 0 ≤ x, y and x + w, y + h ≤ 1, with w, h > 0';
  return { x: bx, y: by, w: bw, h: bh };
}
