import * as assert from 'node:assert/strict';
import { MessageHandler } from '../../../src/shared/messageHandler';
import { parseFromWebview } from '../../../src/shared/protocol';
import type { ErrorReply, WebviewMessage } from '../../../src/shared/protocol';

describe('protocol: messages from the webview are validated', () => {
  it('accepts a well-formed ready request', () => {
    assert.deepEqual(parseFromWebview({ messageId: 1, body: { type: 'ready' } }), { messageId: 1, inReplyTo: undefined, body: { type: 'ready' } });
  });

  const hostile: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [1, 2]],
    ['no messageId', { body: { type: 'ready' } }],
    ['a negative messageId', { messageId: -1, body: { type: 'ready' } }],
    ['a fractional inReplyTo', { messageId: 1, inReplyTo: 0.5, body: { type: 'ready' } }],
    ['an unknown type', { messageId: 1, body: { type: 'deleteEverything', path: '/etc/passwd' } }],
    ['counts that are strings', { messageId: 1, body: { type: 'rendered', itemCount: '5', classCount: 1, visibleTiles: 1 } }],
    ['a body that is not an object', { messageId: 1, body: 'ready' }],
  ];
  for (const [what, raw] of hostile) {
    it(`refuses ${what}`, () => {
      const parsed = parseFromWebview(raw);
      assert.ok('refused' in parsed, `accepted ${JSON.stringify(raw)}`);
      assert.match(parsed.refused, /\w/);
    });
  }

  it('drops extra fields instead of passing them on', () => {
    const parsed = parseFromWebview({ messageId: 2, body: { type: 'rendered', itemCount: 3, classCount: 1, visibleTiles: 2, extra: 'x' } });
    assert.deepEqual(parsed, { messageId: 2, inReplyTo: undefined, body: { type: 'rendered', itemCount: 3, classCount: 1, visibleTiles: 2 } });
  });
});

type Ping = { type: 'ping'; n: number };
type Pong = { type: 'pong'; n: number };

describe('MessageHandler: requests, replies and errors', () => {
  function pair(handleB: (body: Ping) => Pong | undefined): { a: MessageHandler<Ping, Pong>; b: MessageHandler<Pong, Ping> } {
    const a: MessageHandler<Ping, Pong> = new MessageHandler<Ping, Pong>(
      (message) => void b.handleMessage(message as WebviewMessage<Ping | ErrorReply>),
      () => undefined,
    );
    const b: MessageHandler<Pong, Ping> = new MessageHandler<Pong, Ping>(
      (message) => void a.handleMessage(message as WebviewMessage<Pong | ErrorReply>),
      handleB,
    );
    return { a, b };
  }

  it('answers a request with the reply that names it', async () => {
    const { a } = pair((body) => ({ type: 'pong', n: body.n + 1 }));
    const replies = await Promise.all([a.sendRequest({ type: 'ping', n: 1 }), a.sendRequest({ type: 'ping', n: 10 })]);
    assert.deepEqual(replies, [{ type: 'pong', n: 2 }, { type: 'pong', n: 11 }]);
  });

  it('rejects the request with the error the other side threw', async () => {
    const { a } = pair(() => {
      throw new Error('dataset folder is missing');
    });
    await assert.rejects(a.sendRequest({ type: 'ping', n: 1 }), /dataset folder is missing/);
  });

  it('times out a request nobody answers, and dispose rejects what is pending', async () => {
    const silent = new MessageHandler<Ping, Pong>(() => undefined, () => undefined, 20);
    await assert.rejects(silent.sendRequest({ type: 'ping', n: 1 }), /no reply to ping/);
    const closing = new MessageHandler<Ping, Pong>(() => undefined, () => undefined);
    const pending = closing.sendRequest({ type: 'ping', n: 1 });
    closing.dispose();
    await assert.rejects(pending, /went away/);
  });
});
