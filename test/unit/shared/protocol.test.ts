import * as assert from 'node:assert/strict';
import { MessageHandler } from '../../../src/shared/messageHandler';
import { parseFromWebview } from '../../../src/shared/parseMessage';
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

describe('protocol: edit and detail requests', () => {
  const parse = (body: unknown): ReturnType<typeof parseFromWebview> => parseFromWebview({ messageId: 7, body });

  it('accepts relabel, flag, undo, redo, detail and saliency requests and removes duplicate ids', () => {
    assert.deepEqual(parse({ type: 'relabel', ids: ['COVID/a.png', 'COVID/a.png', 'b.png'], label: 'NORMAL' }), {
      messageId: 7,
      inReplyTo: undefined,
      body: { type: 'relabel', ids: ['COVID/a.png', 'b.png'], label: 'NORMAL' },
    });
    assert.deepEqual((parse({ type: 'relabel', ids: ['a.png'], label: null }) as { body: unknown }).body, { type: 'relabel', ids: ['a.png'], label: null });
    assert.deepEqual((parse({ type: 'flag', ids: ['a.png'], flagged: false }) as { body: unknown }).body, { type: 'flag', ids: ['a.png'], flagged: false });
    assert.deepEqual((parse({ type: 'setFinding', ids: ['images/a.png'], finding: 'Pneumonia', state: 'uncertain', x: 1 }) as { body: unknown }).body, { type: 'setFinding', ids: ['images/a.png'], finding: 'Pneumonia', state: 'uncertain' });
    assert.deepEqual((parse({ type: 'saliency', id: 'images/a.png', finding: 'Edema' }) as { body: unknown }).body, { type: 'saliency', id: 'images/a.png', finding: 'Edema' });
    assert.deepEqual((parse({ type: 'saliency', id: 'images/a.png' }) as { body: unknown }).body, { type: 'saliency', id: 'images/a.png' });
    assert.deepEqual((parse({ type: 'undo' }) as { body: unknown }).body, { type: 'undo' });
    assert.deepEqual((parse({ type: 'redo', extra: 1 }) as { body: unknown }).body, { type: 'redo' });
    assert.deepEqual((parse({ type: 'detail', id: 'NORMAL/x y.jpeg' }) as { body: unknown }).body, { type: 'detail', id: 'NORMAL/x y.jpeg' });
    assert.deepEqual((parse({ type: 'thumbnails', ids: ['a.png', 'b.png'] }) as { body: unknown }).body, { type: 'thumbnails', ids: ['a.png', 'b.png'] });
    assert.deepEqual((parse({ type: 'saliency', id: 'COVID/x y.png', extra: true }) as { body: unknown }).body, { type: 'saliency', id: 'COVID/x y.png' });
    assert.deepEqual((parse({ type: 'adjudicate', id: 'COVID/a.png', label: 'NORMAL', by: 'x' }) as { body: unknown }).body, { type: 'adjudicate', id: 'COVID/a.png', label: 'NORMAL' });
    assert.deepEqual((parse({ type: 'adjudicate', id: 'a.png', label: 'NORMAL', reason: 'sides with bob' }) as { body: unknown }).body, { type: 'adjudicate', id: 'a.png', label: 'NORMAL', reason: 'sides with bob' });
    assert.deepEqual((parse({ type: 'adjudicate', id: 'i/a.png', label: 'negative', finding: 'Pneumonia' }) as { body: unknown }).body, { type: 'adjudicate', id: 'i/a.png', label: 'negative', finding: 'Pneumonia' });
    assert.deepEqual((parse({ type: 'studyQueue', queue: 'adjudicate' }) as { body: unknown }).body, { type: 'studyQueue', queue: 'adjudicate' });
    assert.deepEqual((parse({ type: 'similarRegion', id: 'COVID/a.png', box: { x: 0.8, y: 0, w: 0.2, h: 0.1, z: 1 }, k: 24 }) as { body: unknown }).body, {
      type: 'similarRegion',
      id: 'COVID/a.png',
      box: { x: 0.8, y: 0, w: 0.2, h: 0.1 },
      k: 24,
    });
  });

  const refused: [string, unknown][] = [
    ['a path that climbs out', { type: 'detail', id: '../../etc/passwd' }],
    ['.. in the middle', { type: 'relabel', ids: ['COVID/../../x.png'], label: 'COVID' }],
    ['an absolute path', { type: 'flag', ids: ['/etc/passwd'], flagged: true }],
    ['a Windows drive path', { type: 'detail', id: 'C:/Windows/win.ini' }],
    ['a backslash', { type: 'detail', id: 'COVID\\..\\x.png' }],
    ['a NUL byte', { type: 'detail', id: 'a.png\u0000.txt' }],
    ['an empty segment', { type: 'detail', id: 'COVID//a.png' }],
    ['no ids', { type: 'relabel', ids: [], label: 'COVID' }],
    ['ids that are not strings', { type: 'flag', ids: [1], flagged: true }],
    ['a label that is not a string', { type: 'relabel', ids: ['a.png'], label: 3 }],
    ['an empty label', { type: 'relabel', ids: ['a.png'], label: '' }],
    ['a flag that is not a boolean', { type: 'flag', ids: ['a.png'], flagged: 'yes' }],
    ['a finding state that is not one of the four', { type: 'setFinding', ids: ['a.png'], finding: 'Mass', state: 'likely' }],
    ['a finding without a name', { type: 'setFinding', ids: ['a.png'], finding: '', state: 'positive' }],
    ['a saliency map of a finding that is not a name', { type: 'saliency', id: 'a.png', finding: 7 }],
    ['a saliency map of a finding with no name', { type: 'saliency', id: 'a.png', finding: '' }],
    ['a finding edit of an id that climbs out', { type: 'setFinding', ids: ['../a.png'], finding: 'Mass', state: 'positive' }],
    ['a thumbnail id that climbs out', { type: 'thumbnails', ids: ['ok.png', '../../x.png'] }],
    ['a saliency id that climbs out', { type: 'saliency', id: 'COVID/../../../etc/passwd' }],
    ['an absolute saliency id', { type: 'saliency', id: '/etc/passwd' }],
    ['a saliency request without an id', { type: 'saliency' }],
    ['a saliency id that is not a string', { type: 'saliency', id: ['a.png'] }],
    ['an over-long saliency id', { type: 'saliency', id: `${'a/'.repeat(600)}x.png` }],
    ['an adjudication of an id that climbs out', { type: 'adjudicate', id: '../a.png', label: 'COVID' }],
    ['an adjudication without a label', { type: 'adjudicate', id: 'a.png', label: '' }],
    ['an adjudication reason that is not a string', { type: 'adjudicate', id: 'a.png', label: 'COVID', reason: 3 }],
    ['an over-long adjudication reason', { type: 'adjudicate', id: 'a.png', label: 'COVID', reason: 'x'.repeat(2001) }],
    ["a finding's decision that is not a state", { type: 'adjudicate', id: 'a.png', label: 'COVID', finding: 'Pneumonia' }],
    ['a decision on a finding that is not a string', { type: 'adjudicate', id: 'a.png', label: 'positive', finding: ['Pneumonia'] }],
    ['a study queue that is not one of the two', { type: 'studyQueue', queue: 'all' }],
    ['a region search of an id that climbs out', { type: 'similarRegion', id: '../a.png', box: { x: 0, y: 0, w: 0.1, h: 0.1 }, k: 5 }],
    ['a region search without a box', { type: 'similarRegion', id: 'a.png', k: 5 }],
    ['a region box that is not numbers', { type: 'similarRegion', id: 'a.png', box: { x: '0', y: 0, w: 0.1, h: 0.1 }, k: 5 }],
    ['a region box of no area', { type: 'similarRegion', id: 'a.png', box: { x: 0.2, y: 0.2, w: 0, h: 0.1 }, k: 5 }],
    ['a region box beyond the image', { type: 'similarRegion', id: 'a.png', box: { x: 0.95, y: 0, w: 0.1, h: 0.1 }, k: 5 }],
    ['a region box with NaN', { type: 'similarRegion', id: 'a.png', box: { x: NaN, y: 0, w: 0.1, h: 0.1 }, k: 5 }],
    ['a region search of too many', { type: 'similarRegion', id: 'a.png', box: { x: 0, y: 0, w: 0.1, h: 0.1 }, k: 1001 }],
    ['more thumbnails than a screen holds', { type: 'thumbnails', ids: Array.from({ length: 2001 }, (_, i) => `${i}.png`) }],
  ];
  for (const [what, body] of refused) {
    it(`refuses ${what}`, () => {
      const parsed = parse(body);
      assert.ok('refused' in parsed, `accepted ${JSON.stringify(body)}`);
    });
  }
});

describe('MessageHandler.sendReply', () => {
  it('answers a message by id without a handler', () => {
    const sent: WebviewMessage<unknown>[] = [];
    const handler = new MessageHandler<Ping, Pong>((message) => void sent.push(message), () => undefined);
    handler.sendReply(41, { type: 'error', message: 'refused: id leaves the dataset' });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].inReplyTo, 41);
    assert.deepEqual(sent[0].body, { type: 'error', message: 'refused: id leaves the dataset' });
  });
});
