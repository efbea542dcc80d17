import * as vscode from 'vscode';
import { createCommands } from './host/commands';
import type { CuratorContext } from './host/curatorContext';
import { Galleries } from './host/galleries';
import { ModelStates } from './host/modelState';
import { Sidebar } from './host/sidebar';
import { ModelStatusBar } from './host/statusBar';

/** What `activate` returns: the services, for the integration tests and for other extensions. */
export type XrayCuratorApi = CuratorContext;

export function activate(context: vscode.ExtensionContext): XrayCuratorApi {
  const galleries = new Galleries(context.extensionUri, context.globalStorageUri);
  const modelStates = new ModelStates();
  context.subscriptions.push(galleries, modelStates, new ModelStatusBar(modelStates), new Sidebar(modelStates, galleries));
  context.subscriptions.push(galleries.onDidChangeLabels((panel) => modelStates.labelsChanged(panel.datasetRoot, () => panel.journalEntries())));
  const ctx: CuratorContext = { extensionContext: context, galleries, modelStates };
  for (const [id, factory] of Object.entries(createCommands())) {
    const run = factory(ctx);
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (error) {
          void vscode.window.showErrorMessage(`X-Ray Curator: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }),
    );
  }
  if (vscode.workspace.getConfiguration('xrayCurator').get<boolean>('openGalleryOnStartup') && vscode.workspace.workspaceFolders?.length) {
    void vscode.commands.executeCommand('xrayCurator.openGallery');
  }
  return ctx;
}

export function deactivate(): void {}
