import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GalleryUrls } from '../shared/protocol';

/**
 * The HTML shell of a webview: no inline code, a strict CSP (`default-src 'none'`), the script allowed only by a
 * fresh nonce from `crypto.randomBytes`, styles and images only from the webview's own resource roots.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: { title: string; script: string; style: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, options.script));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, options.style));
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<script type="module" nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Lets a gallery webview load its script and styles, the dataset's images and the thumbnail cache, and nothing else;
 * returns the URLs it loads images from.
 */
export function configureGalleryWebview(webview: vscode.Webview, extensionUri: vscode.Uri, datasetRoot: string, thumbnailRoot: vscode.Uri | undefined): GalleryUrls {
  webview.options = {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
      vscode.Uri.file(datasetRoot),
      ...(thumbnailRoot ? [thumbnailRoot] : []),
    ],
  };
  return {
    dataset: webview.asWebviewUri(vscode.Uri.file(path.resolve(datasetRoot))).toString(),
    ...(thumbnailRoot ? { thumbnails: webview.asWebviewUri(thumbnailRoot).toString() } : {}),
  };
}
