import type { ErrorReply, WebviewMessage } from './protocol';

/** A request that got no reply (the other side went away or is wedged). */
export class RequestTimeoutError extends Error {}

/**
 * Sends events and requests and routes what arrives, on either side of the webview boundary.
 * A request's reply is the message whose `inReplyTo` names it; a handler that throws answers with an `ErrorReply`,
 * which rejects the waiting `sendRequest` on the other side with the same message.
 */
export class MessageHandler<TOut extends { type: string }, TIn extends { type: string }> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(body: TIn): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly post: (message: WebviewMessage<TOut | ErrorReply>) => void,
    /** Answers a message from the other side; the returned body (if any) is sent as the reply. */
    private readonly handle: (body: TIn, messageId: number) => Promise<TOut | undefined> | TOut | undefined,
    private readonly requestTimeoutMs = 60_000,
  ) {}

  sendEvent(body: TOut): void {
    this.post({ messageId: this.nextId++, body });
  }

  /** Answers a message the caller handled itself (e.g. refused before it reached `handleMessage`). */
  sendReply(inReplyTo: number, body: TOut | ErrorReply): void {
    this.post({ messageId: this.nextId++, inReplyTo, body });
  }

  /** `timeoutMs`: for a request that may take long the first time (an index built over 400,000 embeddings). */
  sendRequest(body: TOut, timeoutMs = this.requestTimeoutMs): Promise<TIn> {
    const messageId = this.nextId++;
    return new Promise<TIn>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(messageId);
        reject(new RequestTimeoutError(`no reply to ${body.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(messageId, { resolve, reject, timer });
      this.post({ messageId, body });
    });
  }

  async handleMessage(message: WebviewMessage<TIn | ErrorReply>): Promise<void> {
    if (message.inReplyTo !== undefined) {
      const waiter = this.pending.get(message.inReplyTo);
      if (!waiter) return;
      this.pending.delete(message.inReplyTo);
      clearTimeout(waiter.timer);
      if (message.body.type === 'error') waiter.reject(new Error((message.body as ErrorReply).message));
      else waiter.resolve(message.body as TIn);
      return;
    }
    let reply: TOut | ErrorReply | undefined;
    try {
      reply = await this.handle(message.body as TIn, message.messageId);
    } catch (error) {
      reply = { type: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    if (reply) this.post({ messageId: this.nextId++, inReplyTo: message.messageId, body: reply });
  }

  /** Rejects every waiting request (the panel closed). */
  dispose(): void {
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('the other side went away'));
      this.pending.delete(id);
    }
  }
}
