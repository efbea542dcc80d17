// Checks what the map webview sends before the host acts on it: shape, and every point index within the map.
import type { FromMapBody, FromMapMessage } from './mapProtocol';

/** Checks a message from the map webview whose map has `points` points. Returns the typed message, or why it was refused. */
export function parseFromMapWebview(raw: unknown, points: number): FromMapMessage | { refused: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { refused: 'message is not an object' };
  const { messageId, inReplyTo, body } = raw as Record<string, unknown>;
  if (!isIndex(messageId, Number.MAX_SAFE_INTEGER)) return { refused: 'messageId must be a non-negative integer' };
  if (inReplyTo !== undefined && !isIndex(inReplyTo, Number.MAX_SAFE_INTEGER)) return { refused: 'inReplyTo must be a non-negative integer' };
  if (typeof body !== 'object' || body === null) return { refused: 'body is missing' };
  const parsed = parseBody(body as Record<string, unknown>, points);
  if ('refused' in parsed) return parsed;
  return { messageId, inReplyTo: inReplyTo as number | undefined, body: parsed };
}

function parseBody(body: Record<string, unknown>, points: number): FromMapBody | { refused: string } {
  switch (body.type) {
    case 'ready':
      return { type: 'ready' };
    case 'point':
      return isIndex(body.index, points - 1) ? { type: 'point', index: body.index } : { refused: `point: index must be a point of the map (0 to ${points - 1})` };
    case 'select': {
      const { indices } = body;
      if (!Array.isArray(indices) || indices.length > points) return { refused: `select: indices must be an array of at most ${points} points` };
      for (const index of indices) if (!isIndex(index, points - 1)) return { refused: `select: ${JSON.stringify(index)?.slice(0, 40)} is not a point of the map` };
      return { type: 'select', indices: [...new Set(indices as number[])] };
    }
    default:
      return { refused: `unknown message type ${JSON.stringify(body.type)?.slice(0, 60)}` };
  }
}

function isIndex(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
}
