import * as vscode from 'vscode';
import type { MessageHandler } from '../shared/messageHandler';
import type { WebviewMessage } from '../shared/protocol';

/**
 * Hands a webview's messages to `messages` once `parse` has checked them. A refused message is logged, and a refused
 * request is answered with an error, so its sender does not wait for a reply that never comes.
 */
export function receiveValidated<TOut extends { type: string }, TIn extends { type: string }>(
  webview: vscode.Webview,
  parse: (raw: unknown) => WebviewMessage<TIn> | { refused: string },
  messages: MessageHandler<TOut, TIn>,
  name: string,
): vscode.Disposable {
  return webview.onDidReceiveMessage((raw: unknown) => {
    const message = parse(raw);
    if ('refused' in message) {
      console.warn(`X-Ray Curator: refused a message from the ${name} webview: ${message.refused}`);
      const id = (raw as { messageId?: unknown } | null)?.messageId;
      if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) messages.sendReply(id, { type: 'error', message: `refused: ${message.refused}` });
      return;
    }
    void messages.handleMessage(message);
  });
}
