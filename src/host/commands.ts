import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ensureDemoCopy } from '../dataset/packageFiles';
import { runAuditCommand } from './auditCommands';
import type { CuratorContext } from './curatorContext';
import { exportDataset, exportModel } from './exportCommands';
import { nextToLabel } from './exploreCommands';
import type { GalleryPanel } from './galleryPanel';
import { applyLabelsToFolders, filterGallery, undoLabel } from './labelCommands';
import { fineTuneBackbone, retrainModel, scoreDataset, selectBackbone } from './modelCommands';
import { setUpReadingStudy, showAgreement, showStudyQueue } from './readers/studyCommands';
import { compareModels, openReportFile, showReport } from './reportCommands';

/** A command's implementation, given the extension's services. */
type CommandFactory = (ctx: CuratorContext) => (...args: unknown[]) => unknown;

/** What a command on a dataset gets: the services, the dataset folder, and the argument it was invoked with. */
type DatasetCommand = (ctx: CuratorContext, root: string, target: DatasetTarget) => Promise<unknown>;

/** Arguments commands accept from the side bar, notifications and scripts (filters add their own fields). */
interface DatasetTarget {
  root?: string;
  modelVersion?: number;
  [filter: string]: unknown;
}

/** Every command the extension contributes, by id (the ids and titles are declared in package.json). */
export function createCommands(): Record<string, CommandFactory> {
  return {
    'xrayCurator.openGallery': (ctx) => async (target?: unknown): Promise<GalleryPanel | undefined> => {
      const root = await pickDatasetFolder(target);
      return root ? openGalleryOn(ctx, root) : undefined;
    },
    'xrayCurator.openDemo': (ctx) => async (): Promise<GalleryPanel> => {
      // A writable copy in the extension's storage: the installed extension's own files stay untouched.
      return openGalleryOn(ctx, await ensureDemoCopy(vscode.Uri.joinPath(ctx.extensionContext.globalStorageUri, 'demo-dataset').fsPath));
    },
    'xrayCurator.scoreDataset': onDataset((ctx, root) => scoreDataset(ctx, root)),
    'xrayCurator.retrainModel': onDataset((ctx, root) => retrainModel(ctx, root)),
    'xrayCurator.fineTuneBackbone': onDataset((ctx, root) => fineTuneBackbone(ctx, root)),
    'xrayCurator.findLabelIssues': onDataset((ctx, root) => runAuditCommand(ctx, root, 'labelIssues')),
    'xrayCurator.findDuplicates': onDataset((ctx, root) => runAuditCommand(ctx, root, 'duplicates')),
    'xrayCurator.auditShortcuts': onDataset((ctx, root) => runAuditCommand(ctx, root, 'shortcuts')),
    'xrayCurator.showReport': onDataset((ctx, root, target) => showReport(ctx, root, target.modelVersion, target.findings === true)),
    'xrayCurator.compareModels': onDataset((ctx, root) => compareModels(ctx, root)),
    'xrayCurator.undoLabel': onDataset((ctx, root) => undoLabel(ctx, root)),
    'xrayCurator.applyLabelsToFolders': onDataset((ctx, root) => applyLabelsToFolders(ctx, root)),
    'xrayCurator.filterGallery': onDataset(async (ctx, root, target) => filterGallery(ctx, root, target)),
    'xrayCurator.openMap': onDataset(async (ctx, root) => ctx.galleries.openMap(root)),
    'xrayCurator.nextToLabel': onDataset((ctx, root, target) => nextToLabel(ctx, root, target.strategy)),
    'xrayCurator.setUpReadingStudy': onDataset((_ctx, root) => setUpReadingStudy(root)),
    'xrayCurator.showReadingQueue': onDataset((ctx, root) => showStudyQueue(ctx, root, 'read')),
    'xrayCurator.showAdjudicationQueue': onDataset((ctx, root) => showStudyQueue(ctx, root, 'adjudicate')),
    'xrayCurator.showAgreement': onDataset((_ctx, root) => showAgreement(root)),
    'xrayCurator.exportDataset': onDataset((_ctx, root) => exportDataset(root)),
    'xrayCurator.exportModel': onDataset((ctx, root) => exportModel(ctx, root)),
    'xrayCurator.selectBackbone': () => () => selectBackbone(),
    'xrayCurator.openReportFile': () => async (file?: unknown) => (file instanceof vscode.Uri ? openReportFile(file) : undefined),
  };
}

function openGalleryOn(ctx: CuratorContext, root: string): GalleryPanel {
  // The status bar and the side bar follow the dataset the user opened.
  ctx.modelStates.refresh(root).catch((error: unknown) => console.warn(`X-Ray Curator: model state of ${root}: ${String(error)}`));
  return ctx.galleries.open(root);
}

/**
 * A command on a dataset: the one it was given (`{root}`, a folder URI or path), else the gallery in focus,
 * else the folder the gallery command would pick. Cancelled pickers end the command quietly.
 */
function onDataset(run: DatasetCommand): CommandFactory {
  return (ctx) => async (arg?: unknown) => {
    const target: DatasetTarget = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as DatasetTarget) : {};
    const given = typeof target.root === 'string' ? target.root : arg instanceof vscode.Uri || typeof arg === 'string' ? arg : undefined;
    const root = given === undefined ? (ctx.galleries.activeRoot() ?? (await pickDatasetFolder(undefined))) : await pickDatasetFolder(given);
    return root ? run(ctx, root, { ...target, modelVersion: typeof target.modelVersion === 'number' ? target.modelVersion : undefined }) : undefined;
  };
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
