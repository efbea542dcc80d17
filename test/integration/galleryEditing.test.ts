import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openDataset, stateDirOf, thumbnailPath } from '../../src/dataset';
import type { XrayCuratorApi } from '../../src/extension';
import type { GalleryPanel } from '../../src/host/galleryPanel';
import type { ToWebviewBody } from '../../src/shared/protocol';
import { journalOnDisk } from '../support/journalOnDisk';
import { makeCxrSubset } from '../support/cxrSubset';
import { mirrorFolder } from '../support/mirror';
import { CXR_DIR } from '../support/shared';

/** Journal lines on disk, parsed. */
function journalLines(root: string): { kind: string; item: string; new: unknown; undoes?: string }[] {
  return journalOnDisk(path.join(root, '.xray-curator'));
}

describe('Gallery protocol in the real VS Code host: edits reach the journal', () => {
  let root: string;
  let panel: GalleryPanel;
  let messageId = 100;
  const send = async (body: unknown): Promise<ToWebviewBody | undefined> => panel.answer({ messageId: messageId++, body });
  const effectiveLabel = async (id: string): Promise<string | null | undefined> => (await openDataset(root)).items.find((item) => item.id === id)?.label;

  before(async () => {
    root = makeCxrSubset(4);
    panel = (await vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', vscode.Uri.file(root)))!;
    assert.ok(panel, 'the command returned no panel');
    const rendered = await panel.whenRendered();
    assert.equal(rendered.itemCount, 12);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('makes thumbnails of the tiles on screen in the extension\'s global storage', async () => {
    const api = await vscode.extensions.getExtension<XrayCuratorApi>('xray-curator.xray-curator')!.activate();
    const dir = vscode.Uri.joinPath(api.extensionContext.globalStorageUri, 'thumbnails').fsPath;
    const files = (await openDataset(root)).items.map((item) => thumbnailPath(dir, item.hash!));
    const deadline = Date.now() + 60_000;
    while (!files.every((file) => fs.existsSync(file)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    assert.deepEqual(files.filter((file) => !fs.existsSync(file)), [], 'all 12 tiles fit on screen, so all 12 thumbnails are made');
  });

  it('relabels through the protocol: one journal line on disk, and the effective label changes', async () => {
    const id = (await openDataset(root)).items.find((item) => item.label === 'COVID')!.id;
    const reply = await send({ type: 'relabel', ids: [id], label: 'NORMAL' });
    assert.deepEqual(reply, { type: 'done', entries: 1 });
    const lines = journalLines(root);
    assert.equal(lines.length, 1);
    assert.deepEqual({ kind: lines[0].kind, item: lines[0].item, new: lines[0].new }, { kind: 'relabel', item: id, new: 'NORMAL' });
    assert.equal(await effectiveLabel(id), 'NORMAL');
  });

  it('flags several items as one step, and undo / redo write reversing lines', async () => {
    const ids = (await openDataset(root)).items.filter((item) => item.label === 'PNEUMONIA').slice(0, 2).map((item) => item.id);
    assert.deepEqual(await send({ type: 'flag', ids, flagged: true }), { type: 'done', entries: 2 });
    assert.ok((await openDataset(root)).items.filter((item) => ids.includes(item.id)).every((item) => item.flagged));
    assert.deepEqual(await send({ type: 'undo' }), { type: 'done', entries: 2 });
    assert.ok((await openDataset(root)).items.filter((item) => ids.includes(item.id)).every((item) => !item.flagged));
    const undoLines = journalLines(root).slice(-2);
    assert.ok(undoLines.every((line) => line.kind === 'unflag' && line.undoes), JSON.stringify(undoLines));
    assert.deepEqual(await send({ type: 'redo' }), { type: 'done', entries: 2 });
    assert.ok((await openDataset(root)).items.filter((item) => ids.includes(item.id)).every((item) => item.flagged));
  });

  it('applies a relabel and an undo sent together in order: the undo reverses that relabel', async () => {
    const id = (await openDataset(root)).items.find((item) => item.label === 'NORMAL' && !journalLines(root).some((l) => l.item === item.id))!.id;
    const before = journalLines(root).length;
    const [relabel, undo] = await Promise.all([send({ type: 'relabel', ids: [id], label: 'COVID' }), send({ type: 'undo' })]);
    assert.deepEqual([relabel, undo], [{ type: 'done', entries: 1 }, { type: 'done', entries: 1 }]);
    const added = journalLines(root).slice(before);
    assert.deepEqual(added.map((l) => [l.item, l.new, Boolean(l.undoes)]), [[id, 'COVID', false], [id, 'NORMAL', true]]);
    assert.equal(await effectiveLabel(id), 'NORMAL');
  });

  it('returns the detail of an item: full-resolution URL, metadata and its journal history', async () => {
    const relabelled = journalLines(root)[0].item;
    const reply = await send({ type: 'detail', id: relabelled });
    assert.ok(reply?.type === 'detail', JSON.stringify(reply));
    assert.match(reply.imageUrl ?? '', /^https?:\/\/|^vscode-/);
    assert.ok(reply.imageUrl?.endsWith(relabelled.split('/').map(encodeURIComponent).join('/')), reply.imageUrl);
    assert.ok(reply.metadata.source, 'manifest metadata is included');
    assert.deepEqual(reply.history.map((entry) => [entry.kind, entry.new]), [['relabel', 'NORMAL']]);
    assert.equal(reply.saliencyAvailable, false);
  });

  it('shows predictions pushed by setPredictions in the detail (probabilities, highest first)', async () => {
    const items = (await openDataset(root)).items;
    panel.setPredictions({
      model: 'v1',
      classes: ['COVID', 'NORMAL', 'PNEUMONIA'],
      predictions: items.map((item) => ({ id: item.id, probs: [0.2, 0.7, 0.1], predicted: 1, confidence: 0.7, margin: 0.5, entropy: 0.8 })),
    });
    const reply = await send({ type: 'detail', id: items[0].id });
    assert.ok(reply?.type === 'detail');
    assert.deepEqual(reply.probabilities.map((p) => p.label), ['NORMAL', 'COVID', 'PNEUMONIA']);
    // A relabel now records the model and confidence the user saw.
    await send({ type: 'relabel', ids: [items[1].id], label: 'PNEUMONIA' });
    const last = journalOnDisk<{ model?: string; confidence?: number }>(path.join(root, '.xray-curator')).at(-1)!;
    assert.deepEqual([last.model, last.confidence], ['v1', 0.7]);
  });

  it('refuses ids outside the dataset and unknown ids with an error reply, writing nothing', async () => {
    const before = journalLines(root).length;
    const climbing = await send({ type: 'detail', id: '../../../etc/passwd' });
    assert.equal(climbing?.type, 'error');
    assert.match((climbing as { message: string }).message, /leaves the dataset/);
    const absolute = await send({ type: 'relabel', ids: ['/etc/passwd'], label: 'COVID' });
    assert.equal(absolute?.type, 'error');
    const unknown = await send({ type: 'flag', ids: ['COVID/not-there.png'], flagged: true });
    assert.deepEqual(unknown, { type: 'error', message: 'no item "COVID/not-there.png" in this dataset' });
    const badLabel = await send({ type: 'relabel', ids: [journalLines(root)[0].item], label: 'unlabeled' });
    assert.equal(badLabel?.type, 'error');
    assert.equal(journalLines(root).length, before);
  });

  it('opens a read-only folder (a mirror of the shared set that the test makes read-only) and labels it through a stand-in journal, writing nothing into it', async () => {
    const mirror = mirrorFolder(CXR_DIR, { readOnly: true });
    try {
      const shared = mirror.root;
      const readOnly = (await vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', vscode.Uri.file(shared)))!;
      assert.equal((await readOnly.whenRendered()).itemCount, 1502);
      const id = 'COVID/cxnet__695.png';
      assert.deepEqual(await readOnly.answer({ messageId: 1, body: { type: 'relabel', ids: [id], label: 'NORMAL' } }), { type: 'done', entries: 1 });
      const standIn = stateDirOf(shared);
      assert.ok(!standIn.startsWith(shared), `the stand-in state folder is outside the dataset: ${standIn}`);
      assert.deepEqual(journalOnDisk<{ item: string }>(standIn).map((line) => line.item), [id]);
      assert.ok(!fs.existsSync(path.join(shared, '.xray-curator')), 'nothing was written to the read-only folder');
      assert.deepEqual(await readOnly.answer({ messageId: 2, body: { type: 'undo' } }), { type: 'done', entries: 1 });
      assert.equal((await openDataset(shared)).items.find((item) => item.id === id)?.label, 'COVID');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      mirror.remove();
    }
  });
});
