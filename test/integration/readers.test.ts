import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { writeReadersConfig } from '../../src/dataset/readers';
import type { GalleryPanel } from '../../src/host/galleryPanel';
import type { ReadyReply } from '../../src/shared/protocol';
import { makeCxrSubset } from '../support/cxrSubset';

// One window, several readers in turn: changing xrayCurator.journalUser opens the gallery again as the new reader.
describe('Reading study: another reader name in the same window (real VS Code)', () => {
  let root: string;
  const config = vscode.workspace.getConfiguration('xrayCurator');
  const readyOf = async (panel: GalleryPanel): Promise<ReadyReply> => (await panel.answer({ messageId: 1, body: { type: 'ready' } })) as ReadyReply;

  before(async () => {
    root = makeCxrSubset(2);
    await writeReadersConfig(root, { rule: { kind: 'majority' }, study: { blind: true, readers: ['ann', 'cy'] } });
  });

  after(async () => {
    await config.update('journalUser', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reopens the open gallery as the reader the setting names, blind to what the last reader read', async () => {
    await config.update('journalUser', 'ann', vscode.ConfigurationTarget.Global);
    const first = (await vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', vscode.Uri.file(root)))!;
    const asAnn = await readyOf(first);
    assert.equal(asAnn.dataset.study?.reader, 'ann');
    const item = asAnn.items[0].id;
    assert.equal((await first.answer({ messageId: 2, body: { type: 'relabel', ids: [item], label: 'NORMAL' } }))?.type, 'done');

    const reopened = new Promise<GalleryPanel>((resolve) => first.onDidDispose(() => setTimeout(() => resolve(vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', vscode.Uri.file(root)) as Promise<GalleryPanel>), 0)));
    await config.update('journalUser', 'cy', vscode.ConfigurationTarget.Global);
    const second = await reopened;
    assert.notEqual(second, first, 'a new panel');
    const asCy = await readyOf(second);
    assert.equal(asCy.dataset.study?.reader, 'cy');
    const shown = asCy.items.find((i) => i.id === item)!;
    assert.deepEqual([shown.label, shown.reading?.blinded, shown.reading?.readers], [null, true, {}], "cy does not see ann's reading");
  });
});
