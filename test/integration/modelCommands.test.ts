import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LabelJournal, openDataset, planApplyToFolders } from '../../src/dataset';
import type { XrayCuratorApi } from '../../src/extension';
import type { ReportPanel } from '../../src/host/reportPanel';
import { ModelStatusBar } from '../../src/host/statusBar';
import type { ReadyReply } from '../../src/shared/protocol';
import type { AuditSummary, RetrainSummary, ScoreSummary } from '../../src/ml/jobs/datasetJobs';
import { makeCxrSubset } from '../support/cxrSubset';
import { BACKBONE_DIR, requireShared } from '../support/shared';

describe('Score and Retrain from the command palette (real VS Code)', () => {
  let api: XrayCuratorApi;
  let root: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('xrayCurator');

  before(async () => {
    api = (await vscode.extensions.getExtension<XrayCuratorApi>('xray-curator.xray-curator')!.activate())!;
    root = makeCxrSubset(24);
    await config().update('backbone', requireShared(BACKBONE_DIR), vscode.ConfigurationTarget.Global);
    await config().update('augmentViews', 1, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const key of ['backbone', 'augmentViews']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('Score Dataset embeds every image in a worker and says no model exists yet', async () => {
    const summary = await vscode.commands.executeCommand<ScoreSummary>('xrayCurator.scoreDataset', { root });
    assert.ok(summary, 'the command returned nothing');
    assert.equal(summary.items, 72);
    assert.equal(summary.embedded + summary.unreadable, 72);
    assert.ok(summary.embedded >= 70, `${summary.embedded} embedded`);
    assert.equal(summary.modelVersion, null);
    assert.match(summary.backend, /wasm|tensorflow/);
    assert.ok(fs.readdirSync(path.join(root, '.xray-curator')).includes('embeddings'), 'the embedding cache is in the dataset folder');
  });

  it('Retrain Model saves v1, predicts every item, and the status bar shows it', async () => {
    const summary = await vscode.commands.executeCommand<RetrainSummary>('xrayCurator.retrainModel', { root });
    assert.ok(summary);
    assert.equal(summary.modelVersion, 1);
    assert.equal(summary.parent, null);
    assert.ok(summary.balancedAccuracy !== null && summary.balancedAccuracy > 0.5, `balanced accuracy ${summary.balancedAccuracy}`);
    const state = api.modelStates.active;
    assert.equal(state?.root, root);
    assert.equal(state.latest?.modelVersion, 1);
    assert.equal(state.predictions?.items.length, summary.predicted);
    assert.match(ModelStatusBar.text(state), /^\$\(beaker\) v1 · BA \d+\.\d%$/);
  });

  it('after three relabels, the status bar counts them and a retrain makes v2 from v1', async () => {
    const dataset = await openDataset(root);
    const journal = await LabelJournal.open(root);
    for (const item of dataset.items.filter((i) => i.label === 'COVID').slice(0, 3)) await journal.relabel(item, 'NORMAL');
    const before = await api.modelStates.refresh(root);
    assert.equal(before.labelChangesSinceTraining, 3);
    assert.match(ModelStatusBar.text(before), / · 3 label changes$/);
    const summary = await vscode.commands.executeCommand<RetrainSummary>('xrayCurator.retrainModel', { root });
    assert.equal(summary?.modelVersion, 2);
    assert.equal(summary.parent, 1);
    assert.equal(summary.warmStarted, true);
    const after = api.modelStates.active!;
    assert.deepEqual(after.versions.map((v) => v.modelVersion), [1, 2]);
    assert.equal(after.labelChangesSinceTraining, 0);
    assert.equal(after.parentPredictions?.modelVersion, 1, 'the previous predictions are kept to show what changed');
  });

  it('Show Metrics Report shows v2 on its validation split: confusion matrix, ROC, and the change against v1', async () => {
    const panel = await vscode.commands.executeCommand<ReportPanel>('xrayCurator.showReport', { root });
    assert.ok(panel, 'no report panel');
    const html = panel.html;
    assert.match(html, /Confusion matrix/);
    assert.match(html, /ROC/);
    assert.ok((html.match(/<svg/g) ?? []).length >= 3, 'the heat map, ROC and PR plots are SVG');
    assert.match(html, /v1/, 'the change against the previous version is shown');
    assert.match(html, /Content-Security-Policy/);
    assert.doesNotMatch(html, /<script/);
    const reports = fs.readdirSync(path.join(root, '.xray-curator', 'reports'));
    for (const ext of ['json', 'md', 'html']) assert.ok(reports.some((name) => name.startsWith('report-v2-') && name.endsWith(`.${ext}`)), `no v2 .${ext} report`);
  });

  it('Find Label Issues audits the cached embeddings, writes JSON and Markdown, and the gallery gets issue scores', async () => {
    const summary = await vscode.commands.executeCommand<AuditSummary>('xrayCurator.findLabelIssues', { root });
    assert.ok(summary, 'no audit summary');
    assert.ok(fs.existsSync(summary.json) && fs.existsSync(summary.markdown));
    assert.match(fs.readFileSync(summary.markdown, 'utf8'), /^# Data audit[\s\S]*## Label issues[\s\S]*## Duplicates and leakage[\s\S]*## Source shortcuts/);
    assert.ok(Object.keys(summary.marks.scores).length >= 60, 'every labelled item has an issue score');
    // A gallery opened afterwards reads the newest audit: every tile carries its issue score.
    const panel = api.galleries.open(root);
    const ready = await panel.answer({ messageId: 1, body: { type: 'ready' } });
    assert.equal(ready?.type, 'ready');
    const scored = (ready as ReadyReply).items.filter((item) => item.issueScore !== undefined);
    assert.equal(scored.length, Object.keys(summary.marks.scores).length);
    // The ranked issues carry their suggested label to the gallery's issue queue.
    const suggested = (ready as ReadyReply).items.filter((item) => item.suggestedLabel !== undefined);
    assert.ok(suggested.length > 0 && suggested.length === summary.labelIssues, `${suggested.length} suggestions for ${summary.labelIssues} issues`);
    assert.deepEqual(Object.fromEntries(suggested.map((item) => [item.id, item.suggestedLabel])), summary.marks.suggestedLabels);
    for (const item of suggested) assert.notEqual(item.suggestedLabel, item.label, `${item.id}: the suggestion is its given label`);
  });

  it('Apply Labels to Folders moves the three relabelled files, and Undo Last Label Change moves them back', async () => {
    const panel = api.galleries.open(root);
    const moves = await planApplyToFolders(await panel.dataset());
    assert.equal(moves.length, 3, JSON.stringify(moves));
    assert.ok(moves.every((m) => m.from.startsWith('COVID/') && m.to.startsWith('NORMAL/')));
    assert.equal(await panel.edits.applyMoves(moves), 3);
    for (const m of moves) {
      assert.ok(fs.existsSync(path.join(root, m.to)) && !fs.existsSync(path.join(root, m.from)), `${m.from} was not moved`);
    }
    const undone = await vscode.commands.executeCommand<number>('xrayCurator.undoLabel', { root });
    assert.ok(undone && undone >= 3, `undo reversed ${undone} entries`);
    for (const m of moves) assert.ok(fs.existsSync(path.join(root, m.from)) && !fs.existsSync(path.join(root, m.to)), `${m.from} was not moved back`);
  });
});
