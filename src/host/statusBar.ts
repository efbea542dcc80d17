import * as vscode from 'vscode';
import { describeBackbone } from '../ml/builtinBackbone';
import type { ModelState, ModelStates } from './modelState';
import { readSettings } from './settings';

/** Model version, balanced accuracy and label changes since training; a click retrains. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('xrayCurator.model', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(states: ModelStates) {
    this.item.name = 'X-Ray Curator model';
    this.item.command = 'xrayCurator.retrainModel';
    this.subscription = states.onDidChange((state) => this.show(state));
  }

  /** What the item says, kept separate so tests can read it. */
  static text(state: ModelState): string {
    const changes = state.labelChangesSinceTraining;
    const changed = changes ? ` · ${changes} label change${changes === 1 ? '' : 's'}` : '';
    const findings = state.findingsModel;
    if (!state.latest && findings) {
      const auc = findings.metrics.meanAuc.estimate;
      return `$(beaker) findings v${findings.modelVersion} · mean AUC ${auc === null ? '–' : auc.toFixed(2)}${changed}`;
    }
    if (!state.latest) return `$(beaker) no model${changed}`;
    const ba = state.latest.metrics.balancedAccuracy.estimate;
    return `$(beaker) v${state.latest.modelVersion} · BA ${ba === null ? '–' : `${(ba * 100).toFixed(1)}%`}${changed}`;
  }

  private show(state: ModelState): void {
    this.item.text = ModelStatusBar.text(state);
    const latest = state.latest;
    const findings = latest ? undefined : state.findingsModel;
    const backbone = `Backbone: ${(latest ?? findings)?.backbone.id ?? describeBackbone(readSettings().backbone)}.`;
    this.item.tooltip = latest
      ? `Model v${latest.modelVersion} of ${state.root}, trained ${new Date(latest.createdAt).toLocaleString()}; balanced accuracy on its validation split. ${backbone} Click to retrain.`
      : findings
        ? `Findings model v${findings.modelVersion} of ${state.root} (${findings.findings.join(', ')}), trained ${new Date(findings.createdAt).toLocaleString()}; mean ROC AUC on its validation side. ${backbone} Click to retrain.`
        : `No model trained on ${state.root} yet. ${backbone} Click to train one.`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
