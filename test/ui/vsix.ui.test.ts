import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { PROJECT_ROOT } from '../host/vscodeHost';
import { corpus } from '../support/dicomCorpus';
import { linkOrCopy } from '../support/mirror';
import { runCli } from '../support/runCli';
import { Workbench } from './workbench';

const VSIX = path.join(PROJECT_ROOT, 'dist', 'xray-curator.vsix');

/** Runs an npm script of this project; throws with its output when it fails. */
function npmRun(script: string): void {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 110_000 });
  if (result.status !== 0) throw new Error(`npm run ${script} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}

// What a user who installs the .vsix gets: the packaged file installed into the VS Code server with
// --install-extension (not this project as the development extension), a copy of the shipped demo, and Score and
// Retrain from the palette with no setting: the built-in backbone, the wasm binaries, the workers and sharp's
// platform files all have to be inside the package.
describe('UI: the packaged .vsix, installed as a user installs it', () => {
  let workbench: Workbench;

  before(async function () {
    this.timeout(120_000);
    npmRun('package');
    // The package build minifies the bundles in place: the other tiers' development bundles are rebuilt after it.
    npmRun('build');
    const size = fs.statSync(VSIX).size;
    console.log(`      dist/xray-curator.vsix: ${(size / 1024 / 1024).toFixed(1)} MB`);
    assert.ok(size < 20 * 1024 * 1024, `the .vsix holds only what runs (${size} bytes)`);
    workbench = await Workbench.open(path.join(PROJECT_ROOT, 'demo-dataset'), { mirror: 'writable', vsix: VSIX });
  });

  after(async () => {
    await workbench?.close();
  });

  it('Score Dataset embeds the 36 demo images with the built-in backbone, in one notification', async () => {
    await workbench.runCommand('X-Ray Curator: Score Dataset');
    const text = await workbench.notification(/images embedded/);
    assert.match(text, /36 images embedded \(wasm/);
    assert.match(text, /no model yet/);
    assert.equal(await workbench.page.locator('.notifications-toasts .notification-list-item', { hasText: /images embedded/ }).count(), 1, 'one notification per event');
  });

  it('Retrain Model trains v1, and every visible tile of the gallery shows a prediction and a confidence', async () => {
    const gallery: Frame = await workbench.retrainAndOpenGallery();
    await gallery.waitForFunction(() => {
      const tiles = [...document.querySelectorAll('.tile:not([hidden])')];
      return tiles.length >= 8 && tiles.every((tile) => /→ \S+ \d+%/.test(tile.querySelector('.predicted')?.textContent ?? ''));
    });
    assert.ok(fs.statSync(await workbench.screenshot('vsix-gallery')).size > 20_000);
    const installed = path.join(workbench.host.extensionsDir, 'xray-curator.xray-curator-0.1.0', 'models', 'mobilenet_v2_0.35_224', 'model.json');
    assert.ok(fs.existsSync(installed), 'the extension ran from the installed package');
  });

  it('ships every DICOM codec: the installed command-line tool decodes JPEG lossless, extended, JPEG-LS, JPEG 2000, HTJ2K and RLE', async () => {
    const { files } = await corpus();
    const names = ['jpeg-lossless-sv1.dcm', 'jpeg-extended.dcm', 'mono2-jpegls.dcm', 'mono2-j2k.dcm', 'htj2k.dcm', 'rle-gdcm.dcm'];
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-vsix-dicom-'));
    try {
      for (const name of names) linkOrCopy(files[name], path.join(folder, 'NORMAL', name));
      const cli = path.join(workbench.host.extensionsDir, 'xray-curator.xray-curator-0.1.0', 'dist', 'cli.js');
      const out = path.join(folder, 'scan.json');
      const run = await runCli(['scan', folder, '--verify', '--out', out], process.env, cli);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { items: { id: string; error?: string }[] };
      assert.deepEqual(report.items.map((item) => [item.id, item.error ?? null]), names.sort().map((name) => [`NORMAL/${name}`, null]));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
