import type * as vscode from 'vscode';
import type { Galleries } from './galleries';

/** The services every command is built from. */
export interface CuratorContext {
  readonly extensionContext: vscode.ExtensionContext;
  readonly galleries: Galleries;
}
