import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportCurated, exportMultiLabel, openDatasetInWorker, stateDirOf } from '../dataset';
import type { Dataset } from '../dataset';
import { modelsDir } from '../ml/modelVersions';
import type { CuratorContext } from './curatorContext';

/**
 * Export Curated Dataset: a class-folder copy (hard links where possible) or one CSV, of the effective labels; for a
 * multi-label dataset, its label files written back in the format they came in, with the curated findings.
 */
export async function exportDataset(root: string): Promise<string | undefined> {
  // Read in a worker thread: at 400,000 images a scan on the host's thread held it for seconds.
  const dataset = await openDatasetInWorker(root);
  if (dataset.multiLabel) return exportFindings(dataset);
  const format = await vscode.window.showQuickPick(
    [
      { label: 'Class folders', description: 'hard links where possible, copies otherwise', value: 'folders' as const },
      { label: 'CSV manifest', description: 'path,label and the metadata columns', value: 'csv' as const },
    ],
    { title: 'Export the curated dataset as' },
  );
  if (!format) return undefined;
  const flagged = await vscode.window.showQuickPick(['Leave flagged images out', 'Include flagged images'], { title: 'Flagged images' });
  if (!flagged) return undefined;
  const target =
    format.value === 'folders'
      ? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here (empty folder)' }))?.[0]
      : await vscode.window.showSaveDialog({ filters: { CSV: ['csv'] }, defaultUri: vscode.Uri.file(path.join(path.dirname(root), `${path.basename(root)}-curated.csv`)) });
  if (!target) return undefined;
  const report = await exportCurated(dataset, target.fsPath, { format: format.value, includeFlagged: flagged.startsWith('Include') });
  const skipped = report.skipped.length ? `; ${report.skipped.length} skipped (unlabelled, flagged or unreadable)` : '';
  const linked = format.value === 'folders' ? ` (${report.linked} hard links)` : '';
  void vscode.window.showInformationMessage(`X-Ray Curator: exported ${report.exported} images${linked} to ${report.target}${skipped}.`);
  return report.target;
}

/** The multi-label export: every label file of the dataset, rewritten where the journal changed a finding. */
async function exportFindings(dataset: Dataset): Promise<string | undefined> {
  const info = dataset.multiLabel!;
  const folder = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: `Export ${info.format.toUpperCase()} Label Files Here` }))?.[0];
  if (!folder) return undefined;
  const report = await exportMultiLabel(dataset.root, dataset.items.filter((item) => item.findings).map((item) => ({ id: item.id, findings: item.findings! })), folder.fsPath);
  const warned = report.warnings.length ? ` (${report.warnings.length} warnings: ${report.warnings[0]})` : '';
  void vscode.window.showInformationMessage(
    `X-Ray Curator: ${report.files.map((file) => path.basename(file)).join(', ')} written to ${folder.fsPath}, ${report.changedRecords} records with curated findings${warned}.`,
  );
  return folder.fsPath;
}

/** Export Model: copies a model version folder (TensorFlow.js head + version.json with classes, backbone, metrics). */
export async function exportModel(ctx: CuratorContext, root: string): Promise<string | undefined> {
  const state = ctx.modelStates.active?.root === root ? ctx.modelStates.active : await ctx.modelStates.refresh(root);
  if (!state.versions.length) {
    void vscode.window.showInformationMessage('X-Ray Curator: no model version to export yet; run Retrain Model first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    [...state.versions].reverse().map((info) => ({ label: `v${info.modelVersion}`, description: info.classes.join(', '), version: info.modelVersion })),
    { title: 'Export which model version?' },
  );
  if (!picked) return undefined;
  const folder = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here' }))?.[0];
  if (!folder) return undefined;
  const target = path.join(folder.fsPath, `${path.basename(root)}-model-${picked.label}`);
  if (await fs.stat(target).then(() => true, () => false)) throw new Error(`${target} already exists`);
  await fs.cp(path.join(modelsDir(stateDirOf(root)), picked.label), target, { recursive: true, errorOnExist: true });
  void vscode.window.showInformationMessage(`X-Ray Curator: model ${picked.label} exported to ${target} (load it with tf.loadLayersModel; version.json names its backbone and classes).`);
  return target;
}
