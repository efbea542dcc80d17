// Starts the VS Code server with this extension under development and prints the URL that opens the workbench on
// the dataset folder given as argument; the gallery opens by itself (`xrayCurator.openGalleryOnStartup`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, VsCodeHost } from './vscodeHost';

/** The shared MobileNetV2 backbone (`XRAY_SHARED`, else `../shared`) as the default, when it is there. */
function sharedBackbone(): Record<string, string> {
  const shared = process.env.XRAY_SHARED ? path.resolve(process.env.XRAY_SHARED) : path.resolve(PROJECT_ROOT, '..', 'shared');
  const backbone = path.join(shared, 'models', 'mobilenet_v2_0.35_224');
  return fs.existsSync(path.join(backbone, 'model.json')) ? { 'xrayCurator.backbone': backbone } : {};
}

async function main(): Promise<void> {
  const dataset = path.resolve(process.argv[2] ?? '');
  if (!fs.existsSync(dataset) || !fs.statSync(dataset).isDirectory()) throw new Error(`not a folder: ${dataset}`);
  const host = await VsCodeHost.start({ port: Number(process.env.XRAY_PORT ?? 3100), host: process.env.XRAY_HOST ?? '127.0.0.1',
    // The demo dataset can sit inside this repository's tree: no offer to open that repository.
    settings: { 'xrayCurator.openGalleryOnStartup': true, 'git.openRepositoryInParentFolders': 'never', ...sharedBackbone() },
  });
  const url = host.url({ folder: dataset, extensionDevelopmentPath: PROJECT_ROOT });
  console.log(`\nX-Ray Curator is running in VS Code on ${dataset}.\nOpen this URL in a browser; the gallery opens by itself (or run "X-Ray Curator: Open Dataset Gallery" from the command palette, F1):\n\n  ${url}\n\nCtrl+C stops the server.`);
  const stop = (): void => void host.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await host.waitForExit();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
