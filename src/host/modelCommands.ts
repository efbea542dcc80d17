import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BUILTIN_BACKBONE, BUILTIN_BACKBONE_TITLE, describeBackbone } from '../ml/builtinBackbone';
import type { DatasetJobParams, RetrainParams, RetrainSummary, ScoreSummary } from '../ml/jobs/datasetJobs';
import type { MultiLabelRetrainSummary } from '../ml/jobs/multiLabelJobs';
import type { CuratorContext } from './curatorContext';
import { runJobWithProgress } from './jobProgress';
import { readSettings } from './settings';

/** Job parameters from the settings: the built-in backbone unless the user selected another. */
export function jobParams(ctx: CuratorContext, root: string): DatasetJobParams {
  const settings = readSettings();
  return {
    root,
    backbone: settings.backbone || BUILTIN_BACKBONE,
    backboneSha256: settings.backboneSha256 || undefined,
    cacheDir: vscode.Uri.joinPath(ctx.extensionContext.globalStorageUri, 'backbones').fsPath,
  };
}

/** Score Dataset: embed everything not yet cached and predict every item with the latest model. */
export async function scoreDataset(ctx: CuratorContext, root: string): Promise<ScoreSummary | undefined> {
  const summary = await runJobWithProgress<ScoreSummary>('Scoring the dataset', 'score', jobParams(ctx, root));
  if (!summary) return undefined;
  await ctx.modelStates.refresh(root);
  const predicted = summary.modelVersion === null ? 'no model yet: run Retrain Model to train one' : `${summary.predicted} predicted by v${summary.modelVersion}`;
  const unreadable = summary.unreadable ? `, ${summary.unreadable} unreadable` : '';
  void vscode.window.showInformationMessage(`X-Ray Curator: ${summary.embedded} images embedded (${summary.backend})${unreadable}; ${predicted}.`);
  return summary;
}

/** Retrain Model: embed what is new, train a new version from the journal's labels (warm-started), re-score. */
export function retrainModel(ctx: CuratorContext, root: string): Promise<RetrainSummary | MultiLabelRetrainSummary | undefined> {
  return train(ctx, root, 'Retraining the model', {});
}

async function train(ctx: CuratorContext, root: string, title: string, extra: Partial<RetrainParams['train']>): Promise<RetrainSummary | MultiLabelRetrainSummary | undefined> {
  const settings = readSettings();
  const params: RetrainParams = {
    ...jobParams(ctx, root),
    classes: settings.classes.length ? settings.classes : undefined,
    train: { ...settings.train, ...extra },
    findingsTrain: settings.findingsTrain,
  };
  const summary = await runJobWithProgress<RetrainSummary | MultiLabelRetrainSummary>(title, 'retrain', params);
  if (!summary) return undefined;
  await ctx.modelStates.refresh(root);
  if ('kind' in summary) {
    trainedFindings(root, summary);
    return summary;
  }
  const ba = summary.balancedAccuracy === null ? '–' : `${(summary.balancedAccuracy * 100).toFixed(1)}%`;
  const from = summary.parent ? `, ${summary.warmStarted ? 'warm-started' : 'child'} from v${summary.parent}` : '';
  void vscode.window
    .showInformationMessage(
      `X-Ray Curator: model v${summary.modelVersion} trained in ${summary.trainSeconds.toFixed(1)} s${fineTunedNote(summary)}${from}; validation balanced accuracy ${ba}.`,
      'Open Report',
      'Show Misclassified',
    )
    .then((action) => {
      if (action === 'Open Report') void vscode.commands.executeCommand('xrayCurator.showReport', { root, modelVersion: summary.modelVersion });
      if (action === 'Show Misclassified') void vscode.commands.executeCommand('xrayCurator.filterGallery', { root, correctness: 'misclassified' });
    });
  return summary;
}

/** ` with its last K backbone blocks fine-tuned`, for a version that fine-tuned them. */
function fineTunedNote({ fineTunedBlocks }: { fineTunedBlocks: number }): string {
  return fineTunedBlocks > 0 ? ` with its last ${fineTunedBlocks === 1 ? 'backbone block' : `${fineTunedBlocks} backbone blocks`} fine-tuned` : '';
}

/** What a multi-label retrain says: the mean AUC, the findings left out, and the per-finding report to open. */
function trainedFindings(root: string, summary: MultiLabelRetrainSummary): void {
  const { estimate, low, high } = summary.meanAuc;
  const auc = estimate === null ? '–' : `${estimate.toFixed(3)}${low !== null && high !== null ? ` (95% CI ${low.toFixed(3)}–${high.toFixed(3)})` : ''}`;
  const from = summary.parent ? `, ${summary.warmStarted ? 'warm-started' : 'child'} from v${summary.parent}` : '';
  const leftOut = summary.leftOut.length ? `; left out: ${summary.leftOut.map((l) => l.finding).join(', ')}` : '';
  void vscode.window
    .showInformationMessage(
      `X-Ray Curator: findings model v${summary.modelVersion} trained in ${summary.trainSeconds.toFixed(1)} s${fineTunedNote(summary)}${from} on ${summary.findings.length} findings; validation mean AUC ${auc}${leftOut}.`,
      'Open Report',
      'Show Disagreements',
    )
    .then((action) => {
      if (action === 'Open Report') void vscode.commands.executeCommand('xrayCurator.showReport', { root, modelVersion: summary.modelVersion, findings: true });
      if (action === 'Show Disagreements') void vscode.commands.executeCommand('xrayCurator.filterGallery', { root, correctness: 'misclassified' });
    });
}

/**
 * Select Backbone: the built-in MobileNetV2, a local folder holding `model.json`, or an `https://` URL with its
 * SHA-256 (downloaded once, verified, cached). Returns the new setting ('' is the built-in one).
 */
export async function selectBackbone(): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(package) Built in', description: BUILTIN_BACKBONE_TITLE, value: 'builtin' },
      { label: '$(folder) Local folder…', description: 'a TensorFlow.js layers model (model.json + shards)', value: 'folder' },
      { label: '$(cloud-download) URL…', description: 'https://…/model.json, downloaded once and checked by SHA-256', value: 'url' },
    ],
    { title: 'Select the backbone' },
  );
  if (!pick) return undefined;
  const config = vscode.workspace.getConfiguration('xrayCurator');
  let location = '';
  let sha256 = '';
  if (pick.value === 'folder') {
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as Backbone' });
    if (!folder?.[0]) return undefined;
    location = folder[0].fsPath;
    if (!fs.existsSync(path.join(location, 'model.json'))) throw new Error(`${location} holds no model.json: pick the folder of a TensorFlow.js layers model`);
  } else if (pick.value === 'url') {
    const url = await vscode.window.showInputBox({
      title: 'Backbone URL',
      prompt: 'URL of the model.json of a TensorFlow.js layers model',
      validateInput: (value) => (/^https:\/\/\S+$/.test(value) ? undefined : 'an https:// URL'),
    });
    if (!url) return undefined;
    const digest = await vscode.window.showInputBox({
      title: 'SHA-256 of the backbone',
      prompt: 'of model.json followed by its weight shards, so the download can be verified',
      validateInput: (value) => (/^[0-9a-fA-F]{64}$/.test(value.trim()) ? undefined : '64 hexadecimal digits'),
    });
    if (!digest) return undefined;
    location = url;
    sha256 = digest.trim().toLowerCase();
  }
  await config.update('backboneSha256', sha256 || undefined, vscode.ConfigurationTarget.Global);
  await config.update('backbone', location || undefined, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`X-Ray Curator: backbone set to ${describeBackbone(location)}; new embeddings and models use it.`);
  return location;
}

/** Fine-Tune Backbone: the heavier path; trains the last K backbone blocks with the head, as a new version. */
export async function fineTuneBackbone(ctx: CuratorContext, root: string): Promise<RetrainSummary | MultiLabelRetrainSummary | undefined> {
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
