import * as vscode from 'vscode';
import { readJournal, stateDirOf } from '../dataset';
import type { JournalEntry } from '../dataset';
import { readPredictions } from '../ml/predictionFiles';
import { listVersions, modelsDir, readVersionInfo } from '../ml/modelVersions';
import type { ModelVersionInfo } from '../ml/modelVersions';
import type { PredictionsFile } from '../ml/predict';
import { multiLabelVersions } from '../ml/multilabel/versionStore';
import type { MultiLabelVersionInfo } from '../ml/multilabel/versionStore';
import * as path from 'node:path';

/** What the side bar, the status bar and the gallery show about a dataset's models; read from its files. */
export interface ModelState {
  root: string;
  /** Oldest first. */
  versions: ModelVersionInfo[];
  latest: ModelVersionInfo | undefined;
  /** Predictions of the latest version, when it scored the dataset. */
  predictions: PredictionsFile | undefined;
  /** Predictions of the latest version's parent, to show what the last retrain changed. */
  parentPredictions: PredictionsFile | undefined;
  /** Items relabelled (or, on a multi-label dataset, with a finding set) in the journal since the latest version was trained. */
  labelChangesSinceTraining: number;
  /** The latest findings model of a multi-label dataset. */
  findingsModel: MultiLabelVersionInfo | undefined;
  /** Every findings model, oldest first (the last is `findingsModel`). */
  findingsVersions: MultiLabelVersionInfo[];
}

export async function readModelState(root: string): Promise<ModelState> {
  const stateDir = stateDirOf(root);
  const numbers = await listVersions(stateDir);
  const versions: ModelVersionInfo[] = [];
  for (const n of numbers) {
    versions.push(await readVersionInfo(path.join(modelsDir(stateDir), `v${n}`)));
  }
  const latest = versions.at(-1);
  const findingsVersions = await multiLabelVersions(stateDir);
  const findingsModel = findingsVersions.at(-1);
  const predictions = latest ? await readPredictions(root, latest.modelVersion) : undefined;
  const parentPredictions = latest?.parent ? await readPredictions(root, latest.parent) : undefined;
  const state = { root, versions, latest, predictions, parentPredictions, labelChangesSinceTraining: 0, findingsModel, findingsVersions };
  return { ...state, labelChangesSinceTraining: labelChangesSince(state, (await readJournal(root)).entries) };
}

/** Items relabelled (or with a finding set) in `entries` after the latest version, class or findings, was trained. */
function labelChangesSince(state: Pick<ModelState, 'latest' | 'findingsModel'>, entries: readonly JournalEntry[]): number {
  const trained = state.latest ?? state.findingsModel;
  const since = trained ? Date.parse(trained.createdAt) : -Infinity;
  return new Set(entries.filter((e) => (e.kind === 'relabel' || e.kind === 'finding') && Date.parse(e.time) > since).map((e) => e.item)).size;
}

/** The model state of the dataset in focus, re-read when a job finishes or the journal changes. */
export class ModelStates implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelState>();
  readonly onDidChange = this.changed.event;
  private current: ModelState | undefined;
  private readonly soon = new Map<string, NodeJS.Timeout>();

  get active(): ModelState | undefined {
    return this.current;
  }

  async refresh(root: string): Promise<ModelState> {
    const state = await readModelState(root);
    this.current = state;
    this.changed.fire(state);
    return state;
  }

  /**
   * A gallery's labels changed: once a burst of edits is over (a key held down), the count of changes since training
   * is made from the journal the gallery holds, and the side bar and status bar hear of it. Nothing is read again.
   */
  labelsChanged(root: string, entries: () => readonly JournalEntry[], delayMs = 300): void {
    clearTimeout(this.soon.get(root));
    this.soon.set(root, setTimeout(() => {
      this.soon.delete(root);
      const current = this.current;
      if (current?.root !== root) return;
      this.current = { ...current, labelChangesSinceTraining: labelChangesSince(current, entries()) };
      this.changed.fire(this.current);
    }, delayMs));
  }

  dispose(): void {
    for (const timer of this.soon.values()) clearTimeout(timer);
    this.changed.dispose();
  }
}
