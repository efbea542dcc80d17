import * as vscode from 'vscode';
import type { DatasetJobParams, RetrainParams, RetrainSummary, ScoreSummary } from '../ml/jobs/datasetJobs';
import type { CuratorContext } from './curatorContext';
import { runJobWithProgress } from './jobProgress';
import { readSettings } from './settings';

/** Job parameters from the settings; asks for a backbone first when none is configured. */
export async function jobParams(ctx: CuratorContext, root: string): Promise<DatasetJobParams | undefined> {
  let settings = readSettings();
  if (!settings.backbone) {
    const choice = await vscode.window.showWarningMessage('X-Ray Curator needs a backbone (a TensorFlow.js MobileNetV2 model) to embed images.', 'Select Backbone');
    if (choice !== 'Select Backbone' || !(await selectBackbone())) return undefined;
    settings = readSettings();
  }
  return {
    root,
    backbone: settings.backbone,
    backboneSha256: settings.backboneSha256 || undefined,
    cacheDir: vscode.Uri.joinPath(ctx.extensionContext.globalStorageUri, 'backbones').fsPath,
  };
}

/** Score Dataset: embed everything not yet cached and predict every item with the latest model. */
export async function scoreDataset(ctx: CuratorContext, root: string): Promise<ScoreSummary | undefined> {
  const params = await jobParams(ctx, root);
  if (!params) return undefined;
  const summary = await runJobWithProgress<ScoreSummary>('Scoring the dataset', 'score', params);
  if (!summary) return undefined;
  await ctx.modelStates.refresh(root);
  const predicted = summary.modelVersion === null ? 'no model yet: run Retrain Model to train one' : `${summary.predicted} predicted by v${summary.modelVersion}`;
  const unreadable = summary.unreadable ? `, ${summary.unreadable} unreadable` : '';
  void vscode.window.showInformationMessage(`X-Ray Curator: ${summary.embedded} images embedded (${summary.backend})${unreadable}; ${predicted}.`);
  return summary;
}

/** Retrain Model: embed what is new, train a new version from the journal's labels (warm-started), re-score. */
export function retrainModel(ctx: CuratorContext, root: string): Promise<RetrainSummary | undefined> {
  return train(ctx, root, 'Retraining the model', {});
}

async function train(ctx: CuratorContext, root: string, title: string, extra: Partial<RetrainParams['train']>): Promise<RetrainSummary | undefined> {
  const base = await jobParams(ctx, root);
  if (!base) return undefined;
  const settings = readSettings();
  const params: RetrainParams = { ...base, classes: settings.classes.length ? settings.classes : undefined, train: { ...settings.train, ...extra } };
  const summary = await runJobWithProgress<RetrainSummary>(title, 'retrain', params);
  if (!summary) return undefined;
  await ctx.modelStates.refresh(root);
  const ba = summary.balancedAccuracy === null ? '–' : `${(summary.balancedAccuracy * 100).toFixed(1)}%`;
  const from = summary.parent ? `, ${summary.warmStarted ? 'warm-started' : 'child'} from v${summary.parent}` : '';
  void vscode.window
    .showInformationMessage(
      `X-Ray Curator: model v${summary.modelVersion} trained in ${summary.trainSeconds.toFixed(1)} s${from}; validation balanced accuracy ${ba}.`,
      'Open Report',
      'Show Misclassified',
    )
    .then((action) => {
      if (action === 'Open Report') void vscode.commands.executeCommand('xrayCurator.showReport', { root, modelVersion: summary.modelVersion });
      if (action === 'Show Misclassified') void vscode.commands.executeCommand('xrayCurator.filterGallery', { root, correctness: 'misclassified' });
    });
  return summary;
}

/** Select Backbone: a local folder holding `model.json`, or an `https://` URL (downloaded once, cached). */
export async function selectBackbone(): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(folder) Local folder…', description: 'a TensorFlow.js layers model (model.json + shards)', value: 'folder' },
      { label: '$(cloud-download) URL…', description: 'https://…/model.json, downloaded once and checked by SHA-256', value: 'url' },
    ],
    { title: 'Select the backbone' },
  );
  if (!pick) return undefined;
  let location: string | undefined;
  if (pick.value === 'folder') {
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as Backbone' });
    location = folder?.[0]?.fsPath;
  } else {
    location = await vscode.window.showInputBox({
      title: 'Backbone URL',
      prompt: 'URL of the model.json of a TensorFlow.js layers model',
      validateInput: (value) => (/^https:\/\/\S+$/.test(value) ? undefined : 'an https:// URL'),
    });
  }
  if (!location) return undefined;
  await vscode.workspace.getConfiguration('xrayCurator').update('backbone', location, vscode.ConfigurationTarget.Global);
  return location;
}

/** Fine-Tune Backbone: the heavier path; trains the last K backbone blocks with the head, as a new version. */
export async function fineTuneBackbone(ctx: CuratorContext, root: string): Promise<RetrainSummary | undefined> {
  const settings = readSettings();
  const blocks = await vscode.window.showInputBox({
    title: 'Fine-tune how many of the last backbone blocks?',
    value: String(settings.fineTuneBlocks),
    prompt: `Each block costs roughly a second per batch of 16; images are re-embedded through the fine-tuned backbone afterwards (learning rate ${settings.train.fineTuneLearningRate}).`,
    validateInput: (value) => (/^[1-9]\d*$/.test(value) ? undefined : 'a positive whole number'),
  });
  if (!blocks) return undefined;
  return train(ctx, root, 'Fine-tuning the backbone', { fineTuneBlocks: Number(blocks) });
}
