import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planApplyToFolders, stateDirOf } from '../dataset';
import { writeAtomically } from '../dataset/atomicFile';
import type { GalleryFilterRequest } from '../shared/protocol';
import type { CuratorContext } from './curatorContext';

/** Undo Last Label Change: reverses this session's last edit (a relabel, a flag, a bulk step, an apply-to-folders). */
export async function undoLabel(ctx: CuratorContext, root: string): Promise<number> {
  const undone = await ctx.galleries.open(root).edits.undo();
  if (undone === 0) void vscode.window.showInformationMessage('X-Ray Curator: nothing to undo in this session.');
  return undone;
}

/**
 * Apply Labels to Folders: shows the dry run (every file that would move, from → to), then moves on
 * confirmation as one journal step that Undo Last Label Change reverses.
 */
export async function applyLabelsToFolders(ctx: CuratorContext, root: string): Promise<number> {
  const panel = ctx.galleries.open(root);
  const moves = await planApplyToFolders(await panel.dataset());
  if (moves.length === 0) {
    void vscode.window.showInformationMessage('X-Ray Curator: every image already sits in the folder of its label.');
    return 0;
  }
  const lines = moves.map((m) => `| ${m.from} | ${m.to} | ${m.label ?? '(unlabelled)'} |`);
  // A file in the state folder, not an untitled editor: nothing asks to be saved, and the plan stays readable.
  const dryRun = path.join(stateDirOf(root), 'apply-to-folders-dry-run.md');
  await fs.mkdir(path.dirname(dryRun), { recursive: true });
  await writeAtomically(dryRun, `# Apply labels to folders: dry run\n\n${new Date().toISOString()}: ${moves.length} files would move (nothing has moved yet).\n\n| from | to | label |\n|---|---|---|\n${lines.join('\n')}\n`);
  await vscode.window.showTextDocument(vscode.Uri.file(dryRun), { preview: true });
  const choice = await vscode.window.showWarningMessage(
    `Move ${moves.length} files into the folders of their labels? The dry run is open; Undo Last Label Change moves them back.`,
    { modal: true },
    'Move Files',
  );
  if (choice !== 'Move Files') return 0;
  const moved = await panel.edits.applyMoves(moves);
  void vscode.window.showInformationMessage(`X-Ray Curator: ${moved} files moved into their class folders.`, 'Undo').then((action) => {
    if (action === 'Undo') void undoLabel(ctx, root);
  });
  return moved;
}

/** Opens the gallery with a filter (side-bar classes, "Show Misclassified", the label-issue queue). */
export function filterGallery(ctx: CuratorContext, root: string, target: unknown): void {
  const given = (typeof target === 'object' && target !== null ? target : {}) as Record<string, unknown>;
  const filter: GalleryFilterRequest = {};
  if (typeof given.label === 'string' || given.label === null) filter.label = given.label;
  if (given.correctness === 'correct' || given.correctness === 'misclassified') filter.correctness = given.correctness;
  if (given.sort === 'issue' || given.sort === 'confidence' || given.sort === 'margin' || given.sort === 'name') filter.sort = given.sort;
  if (filter.sort === 'issue') filter.descending = true;
  if (given.changedOnly === true) filter.changedOnly = true;
  if (given.issueQueue === true) filter.issueQueue = true;
  if (typeof given.finding === 'string') filter.finding = given.finding;
  if (given.findingState === 'positive' || given.findingState === 'uncertain' || given.findingState === 'negative' || given.findingState === 'disagreeing' || given.findingState === 'agreeing') filter.findingState = given.findingState;
  ctx.galleries.open(root).showFilter(filter);
}
