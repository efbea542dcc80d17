import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AGREEMENT_FILE_PREFIX } from '../ml/agreement';
import { compareReports } from '../ml/report/compare';
import type { SavedReport } from '../ml/report/datasetReport';
import type { Report } from '../ml/report/types';
import { latestReport, parseReport, reportsDir } from '../ml/report/writeReport';
import { stateDirOf } from '../dataset';
import { listVersions } from '../ml/modelVersions';
import { renderMultiLabelHtml } from '../ml/multilabel/reportHtml';
import { latestMultiLabelVersion, multiLabelModelsDir, readMultiLabelVersion } from '../ml/multilabel/versionStore';
import type { CuratorContext } from './curatorContext';
import { runJobWithProgress } from './jobProgress';
import { openAgreementFile } from './readers/studyCommands';
import { ReportPanel } from './reportPanel';
import { versionsToCompare } from './versionPick';

/** The saved report of a version (latest when not given), made now if it was never written. */
async function reportOf(root: string, modelVersion: number | undefined): Promise<Report | undefined> {
  if (modelVersion !== undefined) {
    const saved = await latestReport(reportsDir(stateDirOf(root)), `v${modelVersion}`);
    if (saved) return saved;
  }
  const made = await runJobWithProgress<SavedReport>('Building the metrics report', 'report', { root, modelVersion });
  return made?.report;
}

/**
 * Show Metrics Report: the balanced-metric report of a model version on its held-out validation split; on a
 * multi-label dataset (or with `findings`), the per-finding report of its findings model.
 */
export async function showReport(ctx: CuratorContext, root: string, modelVersion?: number, findings = false): Promise<ReportPanel | undefined> {
  const stateDir = stateDirOf(root);
  const findingsVersion = await latestMultiLabelVersion(stateDir);
  if (findingsVersion && (findings || (await listVersions(stateDir)).length === 0)) return showFindingsReport(root, modelVersion ?? findingsVersion.info.modelVersion);
  const version = modelVersion ?? (ctx.modelStates.active?.root === root ? ctx.modelStates.active.latest?.modelVersion : undefined);
  const report = await reportOf(root, version);
  return report ? ReportPanel.show(report) : undefined;
}

/** The per-finding report of findings model `vN` (with the change against its parent), rendered from its version file. */
async function showFindingsReport(root: string, modelVersion: number): Promise<ReportPanel> {
  const dirOf = (n: number): string => path.join(multiLabelModelsDir(stateDirOf(root)), `v${n}`);
  const { info } = await readMultiLabelVersion(dirOf(modelVersion));
  const parent = info.parent === null ? undefined : (await readMultiLabelVersion(dirOf(info.parent)).catch(() => undefined))?.info;
  return ReportPanel.showPage(`Findings report v${modelVersion}`, (options) => renderMultiLabelHtml({ info, parent, datasetName: path.basename(root) }, options));
}

/** Opens a saved report from the side bar (its `.html`; the `.json` beside it is what is rendered). */
export async function openReportFile(file: vscode.Uri): Promise<ReportPanel> {
  if (path.basename(file.fsPath).startsWith(AGREEMENT_FILE_PREFIX)) return openAgreementFile(file.fsPath);
  const json = file.fsPath.replace(/\.(html|md)$/, '.json');
  return ReportPanel.show(parseReport(await fs.readFile(json, 'utf8'), json));
}

/** Compare Model Versions: the report of one version with the change against another. */
export async function compareModels(ctx: CuratorContext, root: string): Promise<ReportPanel | undefined> {
  const state = ctx.modelStates.active?.root === root ? ctx.modelStates.active : await ctx.modelStates.refresh(root);
  if (state.versions.length < 2) {
    void vscode.window.showInformationMessage('X-Ray Curator: comparing needs two model versions; retrain once more first.');
    return undefined;
  }
  const items = [...state.versions].reverse().map((info) => ({
    label: `v${info.modelVersion}`,
    description: `BA ${info.metrics.balancedAccuracy.estimate === null ? '–' : (info.metrics.balancedAccuracy.estimate * 100).toFixed(1)}% · ${new Date(info.createdAt).toLocaleString()}`,
    version: info.modelVersion,
  }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Pick two model versions to compare' });
  if (!picked) return undefined;
  const pair = versionsToCompare(picked);
  if ('message' in pair) {
    void vscode.window.showWarningMessage(pair.message);
    return undefined;
  }
  const current = await reportOf(root, pair.newer.version);
  const previous = current && (await reportOf(root, pair.older.version));
  if (!current || !previous) return undefined;
  return ReportPanel.show({ ...current, comparison: compareReports(current, previous) });
}
