import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CuratorContext } from './curatorContext';
import type { GalleryPanel } from './galleryPanel';
import { retrainModel, scoreDataset, selectBackbone } from './modelCommands';

/** A command's implementation, given the extension's services. */
type CommandFactory = (ctx: CuratorContext) => (...args: unknown[]) => unknown;

/** Every command the extension contributes, by id (the ids and titles are declared in package.json). */
export function createCommands(): Record<string, CommandFactory> {
  return {
    'xrayCurator.openGallery': (ctx) => async (target?: unknown): Promise<GalleryPanel | undefined> => {
      const root = await pickDatasetFolder(target);
      return root ? ctx.galleries.open(root) : undefined;
    },
    'xrayCurator.scoreDataset': (ctx) => async (target?: unknown) => {
      const root = await datasetFor(ctx, target);
      return root ? scoreDataset(ctx, root) : undefined;
    },
    'xrayCurator.retrainModel': (ctx) => async (target?: unknown) => {
      const root = await datasetFor(ctx, target);
      return root ? retrainModel(ctx, root) : undefined;
    },
    'xrayCurator.selectBackbone': () => () => selectBackbone(),
  };
}

/** The dataset a model command works on: the one it was given, else the gallery in focus, else as for the gallery. */
async function datasetFor(ctx: CuratorContext, target: unknown): Promise<string | undefined> {
  if (typeof target === 'object' && target !== null && typeof (target as { root?: unknown }).root === 'string') {
    return pickDatasetFolder((target as { root: string }).root);
  }
  if (target === undefined) {
    const active = ctx.galleries.activeRoot();
    if (active) return active;
  }
  return pickDatasetFolder(target);
}

/**
 * The dataset folder for a command: the folder it was invoked on (explorer context menu or a script), else the
 * `xrayCurator.datasetPath` setting, else the first workspace folder, else one the user picks.
 */
async function pickDatasetFolder(target: unknown): Promise<string | undefined> {
  const given = target instanceof vscode.Uri ? target.fsPath : typeof target === 'string' ? target : undefined;
  const configured = vscode.workspace.getConfiguration('xrayCurator').get<string>('datasetPath') || undefined;
  const candidate = given ?? configured ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (candidate) {
    if (isDirectory(candidate)) return candidate;
    void vscode.window.showErrorMessage(`X-Ray Curator: ${candidate} is not a folder. Pick a folder whose subfolders are the classes.`);
    return undefined;
  }
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Open Dataset' });
  return picked?.[0]?.fsPath;
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}
