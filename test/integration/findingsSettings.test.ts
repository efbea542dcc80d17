import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LabelJournal, openDataset, stateDirOf } from '../../src/dataset';
import type { MultiLabelRetrainSummary } from '../../src/ml/jobs/multiLabelJobs';
import { latestMultiLabelVersion } from '../../src/ml/multilabel/versionStore';
import { mirrorFolder, type Mirror } from '../support/mirror';
import { BACKBONE_DIR, NIH14_DIR, requireShared } from '../support/shared';

// The uncertainty policy is a setting: what Retrain Model does with a multi-label dataset's uncertain labels.
describe('xrayCurator.uncertainLabels decides what uncertain finding labels train as (real VS Code)', () => {
  let nih: Mirror;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('xrayCurator');

  before(async () => {
    nih = mirrorFolder(NIH14_DIR);
    await config().update('backbone', requireShared(BACKBONE_DIR), vscode.ConfigurationTarget.Global);
    // Six Pneumonia labels made uncertain, as a CheXpert reader's "may be present".
    const dataset = await openDataset(nih.root);
    const journal = await LabelJournal.open(nih.root);
    const positives = dataset.items.filter((item) => item.findings?.Pneumonia === 'positive').slice(0, 6);
    await journal.record(positives.map((item) => ({ kind: 'finding', item, finding: 'Pneumonia', value: 'uncertain' })));
  });

  after(async () => {
    for (const key of ['backbone', 'uncertainLabels']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    nih?.remove();
  });

  const retrain = async (): Promise<{ summary: MultiLabelRetrainSummary; ignored: number; policy: unknown; html: string }> => {
    const summary = await vscode.commands.executeCommand<MultiLabelRetrainSummary>('xrayCurator.retrainModel', { root: nih.root });
    assert.equal(summary?.kind, 'findings');
    const version = (await latestMultiLabelVersion(stateDirOf(nih.root)))!;
    assert.equal(version.info.modelVersion, summary.modelVersion);
    const html = fs.readFileSync(summary.report, 'utf8');
    return { summary, ignored: version.info.trainedOn.perFinding.Pneumonia.ignored, policy: version.info.trainConfig.uncertainty, html };
  };

  it('trains them as negative by default (U-Zeros), and as the setting says when it names the finding', async () => {
    const byDefault = await retrain();
    assert.equal(byDefault.ignored, 0, 'U-Zeros: every uncertain Pneumonia label counts, as negative');
    assert.deepEqual(byDefault.policy, { Atelectasis: 'positive', Edema: 'positive' });
    assert.match(byDefault.html, /<th scope="row">Pneumonia<\/th>(<td[^>]*>[^<]*<\/td>){3}<td[^>]*>negative<\/td>/);

    await config().update('uncertainLabels', { Pneumonia: 'ignore', '*': 'positive' }, vscode.ConfigurationTarget.Global);
    const ignoring = await retrain();
    assert.equal(ignoring.summary.modelVersion, byDefault.summary.modelVersion + 1);
    assert.equal(ignoring.ignored, 6, 'the six uncertain Pneumonia labels are left out of the loss');
    // VS Code merges an object setting with its default: the findings the user does not name keep CheXpert's U-Ones.
    assert.deepEqual(ignoring.policy, { Atelectasis: 'positive', Edema: 'positive', Pneumonia: 'ignore' });
    assert.match(ignoring.html, /<th scope="row">Pneumonia<\/th>(<td[^>]*>[^<]*<\/td>){2}<td[^>]*>6<\/td><td[^>]*>ignore<\/td>/);
    assert.match(ignoring.html, /<th scope="row">Infiltration<\/th>(<td[^>]*>[^<]*<\/td>){3}<td[^>]*>positive<\/td>/, '* covers the findings not named');
  });

  it('refuses a policy that is not ignore, positive or negative, and trains nothing', async () => {
    const before = (await latestMultiLabelVersion(stateDirOf(nih.root)))!.info.modelVersion;
    await config().update('uncertainLabels', { Edema: 'maybe' }, vscode.ConfigurationTarget.Global);
    // The command shows the job's error ("uncertainty.Edema must be ignore, positive or negative, got maybe") and returns nothing.
    assert.equal(await vscode.commands.executeCommand('xrayCurator.retrainModel', { root: nih.root }), undefined);
    assert.equal((await latestMultiLabelVersion(stateDirOf(nih.root)))!.info.modelVersion, before);
  });
});
