import type * as vscode from 'vscode';
import type { Galleries } from './galleries';
import type { ModelStates } from './modelState';

/** The services every command is built from. */
export interface CuratorContext {
  readonly extensionContext: vscode.ExtensionContext;
  readonly galleries: Galleries;
  readonly modelStates: ModelStates;
}
