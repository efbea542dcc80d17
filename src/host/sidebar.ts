import * as path from 'node:path';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { openDatasetInWorker, stateDirOf } from '../dataset';
import type { Dataset } from '../dataset';
import { describeBackbone } from '../ml/builtinBackbone';
import { REPORTS_DIR_NAME } from '../ml/report/writeReport';
import type { Galleries } from './galleries';
import type { ModelState, ModelStates } from './modelState';
import { readSettings } from './settings';

/** One row of a side-bar view: a label, a description, and what a click does. */
interface Row {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  command?: vscode.Command;
}

/** A flat tree view whose rows are recomputed from the model state of the dataset in focus. */
class RowsView implements vscode.TreeDataProvider<Row> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: Row[] = [];

  constructor(private readonly compute: (state: ModelState) => Promise<Row[]>) {}

  async update(state: ModelState): Promise<void> {
    this.rows = await this.compute(state);
    this.changed.fire();
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = row.icon ? new vscode.ThemeIcon(row.icon) : undefined;
    item.command = row.command;
    return item;
  }

  getChildren(row?: Row): Row[] {
    return row ? [] : this.rows;
  }
}

/** The side bar: classes with counts, model versions, latest reports. Clicking a class filters the gallery. */
export class Sidebar implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(states: ModelStates, galleries: Galleries) {
    // An open gallery already holds the dataset live; only without one is the folder read again (in a worker thread).
    const datasetOf = (root: string): Promise<Dataset> => galleries.get(root)?.dataset() ?? openDatasetInWorker(root);
    const views: [string, RowsView][] = [
      ['xrayCurator.classes', new RowsView((state) => classRows(state, datasetOf))],
      ['xrayCurator.models', new RowsView(async (state) => [backboneRow(state), ...findingsModelRows(state), ...modelRows(state)])],
      ['xrayCurator.reports', new RowsView(reportRows)],
    ];
    for (const [id, view] of views) this.disposables.push(vscode.window.registerTreeDataProvider(id, view));
    this.disposables.push(
      states.onDidChange((state) => {
        for (const [, view] of views) {
          view.update(state).catch((error: unknown) => console.warn(`X-Ray Curator: side bar: ${String(error)}`));
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('xrayCurator.backbone') && states.active) void states.refresh(states.active.root);
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

async function classRows(state: ModelState, datasetOf: (root: string) => Promise<Dataset>): Promise<Row[]> {
  const dataset = await datasetOf(state.root);
  if (dataset.multiLabel) return findingRows(state, dataset, dataset.multiLabel.findings);
  const predicted = new Map(state.predictions?.items.map((p) => [p.id, p.predicted]));
  const classes = [...new Set([...dataset.classes, ...(state.latest?.classes ?? [])])];
  return classes.map((name) => {
    const items = dataset.items.filter((item) => item.label === name);
    const predictedAs = [...predicted.values()].filter((p) => p === name).length;
    const wrong = items.filter((item) => predicted.has(item.id) && predicted.get(item.id) !== name).length;
    const flagged = items.filter((item) => item.flagged).length;
    const counts = [`${items.length} labelled`];
    if (state.predictions) counts.push(`${predictedAs} predicted`, `${wrong} misclassified`);
    if (flagged) counts.push(`${flagged} flagged`);
    return {
      label: name,
      description: counts.join(' · '),
      // The description is cut to the side bar's width; the tooltip has all of it.
      tooltip: `${name}: ${counts.join(', ')}. Click to show them in the gallery.`,
      icon: 'symbol-class',
      command: { title: 'Filter the gallery', command: 'xrayCurator.filterGallery', arguments: [{ root: state.root, label: name }] },
    };
  });
}

/** The backbone new embeddings use (the setting) and, when it differs, the one the latest version was trained on. */
function backboneRow(state: ModelState): Row {
  const setting = readSettings().backbone;
  const trainedOn = state.latest?.backbone;
  const latestNote = trainedOn ? ` The latest version, v${state.latest!.modelVersion}, uses ${trainedOn.id}${trainedOn.fineTunedBlocks ? ` (its last ${trainedOn.fineTunedBlocks} blocks fine-tuned)` : ''}.` : '';
  return {
    label: 'Backbone',
    description: describeBackbone(setting),
    tooltip: `New embeddings and models use the ${describeBackbone(setting)} backbone.${latestNote} Click to select another.`,
    icon: 'chip',
    command: { title: 'Select Backbone', command: 'xrayCurator.selectBackbone' },
  };
}

function modelRows(state: ModelState): Row[] {
  return [...state.versions].reverse().map((info) => {
    const ba = info.metrics.balancedAccuracy;
    const percent = (x: number | null): string => (x === null ? '–' : (x * 100).toFixed(1));
    return {
      label: `v${info.modelVersion}`,
      description: `BA ${percent(ba.estimate)}% (${percent(ba.low)}–${percent(ba.high)})${info.parent ? ` · from v${info.parent}` : ''}${fineTunedText(info.backbone)}`,
      tooltip: `${info.classes.join(', ')} · trained ${new Date(info.createdAt).toLocaleString()} on ${info.trainedOn.train} items, validated on ${info.trainedOn.validation}`,
      icon: info.modelVersion === state.latest?.modelVersion ? 'star-full' : 'history',
      command: { title: 'Show Metrics Report', command: 'xrayCurator.showReport', arguments: [{ root: state.root, modelVersion: info.modelVersion }] },
    };
  });
}

/** A multi-label dataset's findings: positive and uncertain labels, and the latest findings model's AUC on each. */
function findingRows(state: ModelState, dataset: Dataset, findings: readonly string[]): Row[] {
  const trained = new Map(state.findingsModel?.metrics.findings.map((f) => [f.finding, f]));
  return findings.map((finding) => {
    const positive = dataset.items.filter((item) => item.findings?.[finding] === 'positive').length;
    const uncertain = dataset.items.filter((item) => item.findings?.[finding] === 'uncertain').length;
    const auc = trained.get(finding)?.auc;
    const counts = [`${positive} positive`];
    if (uncertain) counts.push(`${uncertain} uncertain`);
    if (auc) counts.push(`AUC ${estimateText(auc, 2)}`);
    else if (state.findingsModel) counts.push('not trained');
    return {
      label: finding,
      description: counts.join(' · '),
      tooltip: `${finding}: ${counts.join(', ')}${auc ? ` (findings v${state.findingsModel!.modelVersion}, validation)` : ''}. Click to show the positive ones in the gallery.`,
      icon: 'tag',
      command: { title: 'Filter the gallery', command: 'xrayCurator.filterGallery', arguments: [{ root: state.root, finding, findingState: 'positive' }] },
    };
  });
}

/** The findings models, newest first: mean AUC with its interval; a click opens the per-finding report. */
function findingsModelRows(state: ModelState): Row[] {
  return [...state.findingsVersions].reverse().map((info) => ({
    label: `findings v${info.modelVersion}`,
    description: `mean AUC ${estimateText(info.metrics.meanAuc, 3)}${info.parent ? ` · from v${info.parent}` : ''}${fineTunedText(info.backbone)}`,
    tooltip: `${info.findings.join(', ')} · trained ${new Date(info.createdAt).toLocaleString()} on ${info.trainedOn.train} items, validated on ${info.trainedOn.validation}`,
    icon: info.modelVersion === state.findingsModel?.modelVersion ? 'star-full' : 'history',
    command: { title: 'Show Findings Report', command: 'xrayCurator.showReport', arguments: [{ root: state.root, modelVersion: info.modelVersion, findings: true }] },
  }));
}

/** ` · 2 blocks fine-tuned` for a version that fine-tuned its backbone, else nothing. */
function fineTunedText({ fineTunedBlocks }: { fineTunedBlocks?: number }): string {
  return fineTunedBlocks ? ` · ${fineTunedBlocks} block${fineTunedBlocks === 1 ? '' : 's'} fine-tuned` : '';
}

/** `0.82 (0.77–0.89)`, or `–` where undefined. */
function estimateText({ estimate, low, high }: { estimate: number | null; low: number | null; high: number | null }, digits: number): string {
  const f = (x: number | null): string => (x === null ? '–' : x.toFixed(digits));
  return low === null || high === null ? f(estimate) : `${f(estimate)} (${f(low)}–${f(high)})`;
}

async function reportRows(state: ModelState): Promise<Row[]> {
  const dir = path.join(stateDirOf(state.root), REPORTS_DIR_NAME);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => name.endsWith('.html'))
    .sort()
    .reverse()
    .slice(0, 10)
    .map((name) => ({
      label: name.replace(/\.html$/, ''),
      icon: 'graph',
      command: { title: 'Open Report', command: 'xrayCurator.openReportFile', arguments: [vscode.Uri.file(path.join(dir, name))] },
    }));
}
