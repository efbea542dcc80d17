// `npm start`: starts the VS Code server with this extension under development and prints the URL that opens the
// workbench on a dataset folder (the argument), or on a writable copy of the shipped demo; the gallery opens by
// itself (`xrayCurator.openGalleryOnStartup`). The backbone is the built-in one: nothing to set up.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureDemoCopy } from '../../src/dataset/packageFiles';
import { PROJECT_ROOT, VsCodeHost } from './vscodeHost';

/** The demo's working copy: outside the repository, kept between runs so labels and models stay. */
function demoCopyDir(): string {
  const data = process.env.XDG_DATA_HOME && path.isAbsolute(process.env.XDG_DATA_HOME) ? process.env.XDG_DATA_HOME : path.join(os.homedir(), '.local', 'share');
  return path.join(data, 'xray-curator', 'demo-dataset');
}

async function main(): Promise<void> {
  const dataset = process.argv[2] ? path.resolve(process.argv[2]) : await ensureDemoCopy(demoCopyDir());
  if (!fs.existsSync(dataset) || !fs.statSync(dataset).isDirectory()) throw new Error(`not a folder: ${dataset}`);
  const host = await VsCodeHost.start({ port: Number(process.env.XRAY_PORT ?? 3100), host: process.env.XRAY_HOST ?? '127.0.0.1',
    settings: { 'xrayCurator.openGalleryOnStartup': true, 'git.openRepositoryInParentFolders': 'never' },
  });
  const url = host.url({ folder: dataset, extensionDevelopmentPath: PROJECT_ROOT });
  console.log([
    '',
    `X-Ray Curator is running in VS Code on ${dataset}${process.argv[2] ? '' : ' (a copy of the demo: 36 chest X-rays, CC BY 4.0 / NIH)'}.`,
    'The model is built in (MobileNetV2, α 0.35, 224 px, ImageNet weights; nothing to download or set): F1 → "X-Ray Curator: Score Dataset", then "Retrain Model", work at once.',
    'Open this URL in a browser; the gallery opens by itself (or run "X-Ray Curator: Open Dataset Gallery" from the command palette, F1):',
    '',
    `  ${url}`,
    '',
    'Ctrl+C stops the server.',
  ].join('\n'));
  const stop = (): void => void host.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await host.waitForExit();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
