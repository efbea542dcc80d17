import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { XrayCuratorApi } from '../../src/extension';
import type { GalleryPanel } from '../../src/host/galleryPanel';
import { mirrorFolder } from '../support/mirror';
import type { Mirror } from '../support/mirror';
import { CXR_DIR } from '../support/shared';

const EXTENSION_ID = 'xray-curator.xray-curator';

describe('Open Dataset Gallery (real VS Code)', () => {
  let api: XrayCuratorApi;
  let cxr: Mirror;

  before(async () => {
    cxr = mirrorFolder(CXR_DIR);
    const extension = vscode.extensions.getExtension<XrayCuratorApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(() => cxr?.remove());

  it('contributes its command to the command palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('xrayCurator.openGallery'));
  });

  it('opens (a mirror of) the shared chest X-ray folder and the webview receives 1,502 items in 3 classes', async () => {
    const root = cxr.root;
    const panel = await vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', vscode.Uri.file(root));
    assert.ok(panel, 'the command returned no panel');
    const rendered = await panel.whenRendered();
    assert.equal(rendered.itemCount, 1502);
    assert.equal(rendered.classCount, 3);
    assert.ok(rendered.visibleTiles > 0, 'no tile was rendered');
    assert.equal(api.galleries.get(root), panel, 'the panel is tracked by the gallery service');
  });

  it('reveals the existing panel when the same folder is opened again', async () => {
    const root = cxr.root;
    const first = await vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', root);
    const second = await vscode.commands.executeCommand<GalleryPanel>('xrayCurator.openGallery', root);
    assert.equal(first, second);
  });
});
