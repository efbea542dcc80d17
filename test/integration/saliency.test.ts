import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { GalleryPanel } from '../../src/host/galleryPanel';
import type { RetrainSummary } from '../../src/ml/jobs/datasetJobs';
import type { DetailReply, SaliencyReply } from '../../src/shared/protocol';
import { makeCxrSubset } from '../support/cxrSubset';

describe('Detail view saliency overlay (real VS Code)', () => {
  let root: string;
  let messageId = 0;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('xrayCurator');
  const ask = (panel: GalleryPanel, body: unknown): ReturnType<GalleryPanel['answer']> => panel.answer({ messageId: ++messageId, body });
  const open = async (): Promise<GalleryPanel> => {
    const panel = await vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', root);
    assert.ok(panel, 'no gallery panel');
    await panel.whenRendered();
    return panel;
  };

  before(async () => {
    await vscode.extensions.getExtension('xray-curator.xray-curator')!.activate();
    root = makeCxrSubset(16);
    await config().update('augmentViews', 1, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['augmentViews']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('says there is no model yet, and refuses ids outside the dataset', async () => {
    const panel = await open();
    const id = 'COVID/' + fs.readdirSync(`${root}/COVID`)[0];
    const detail = (await ask(panel, { type: 'detail', id })) as DetailReply;
    assert.equal(detail.type, 'detail');
    assert.equal(detail.saliencyAvailable, false, 'no model has predicted this item');
    assert.deepEqual(await ask(panel, { type: 'saliency', id }), { type: 'error', message: 'no trained model yet: run Retrain Model' });
    const climbing = await ask(panel, { type: 'saliency', id: '../../etc/passwd' });
    assert.equal(climbing?.type, 'error');
    assert.match((climbing as { message: string }).message, /^refused: saliency: .*leaves the dataset/);
    assert.deepEqual(await ask(panel, { type: 'saliency', id: 'COVID/not-there.png' }), { type: 'error', message: 'no item "COVID/not-there.png" in this dataset' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('after Retrain Model, computes Grad-CAM of the predicted class in a worker', async () => {
    const summary = await vscode.commands.executeCommand<RetrainSummary>('xrayCurator.retrainModel', { root });
    assert.equal(summary?.modelVersion, 1);
    const panel = await open();
    // An item the model predicts clearly: Grad-CAM explains the same class the gallery shows.
    const ids = fs.readdirSync(`${root}/PNEUMONIA`).map((name) => `PNEUMONIA/${name}`);
    let detail: DetailReply | undefined;
    for (const id of ids) {
      const candidate = (await ask(panel, { type: 'detail', id })) as DetailReply;
      const [first, second] = candidate.probabilities;
      if (first && second && first.probability - second.probability > 0.05) {
        detail = candidate;
        break;
      }
    }
    assert.ok(detail, 'no item predicted with a margin above 5%');
    assert.equal(detail.saliencyAvailable, true);

    const reply = (await ask(panel, { type: 'saliency', id: detail.id })) as SaliencyReply;
    assert.equal(reply.type, 'saliency', JSON.stringify(reply).slice(0, 300));
    assert.equal(reply.id, detail.id);
    assert.equal(reply.modelVersion, 1);
    assert.equal(reply.className, detail.probabilities[0].label);
    assert.equal(reply.values.length, reply.width * reply.height);
    assert.ok(reply.width >= 7 && reply.height >= 7);
    assert.ok(reply.values.every((v) => v >= 0 && v <= 1));
    assert.equal(Math.max(...reply.values), 1);
    assert.ok(new Set(reply.values.map((v) => v.toFixed(2))).size > 20, 'the map is (nearly) constant');

    const again = await ask(panel, { type: 'saliency', id: detail.id });
    assert.deepEqual(again, reply, 'the same item and model give the same map (from the cache)');
  });
});
