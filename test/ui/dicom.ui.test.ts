// A DICOM folder as a PACS exports it (patient/study/series folders, files with no extension, mixed transfer
// syntaxes, no manifest), opened in the real workbench: every tile shows its image unlabelled, the counts show the
// patients, a burned-in annotation is marked, and the detail view windows the full 12-bit values by dragging and
// lists the tags with the identifying ones hidden. The export is made here from the test corpus (dcmtk, GDCM).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { corpus } from '../support/dicomCorpus';
import { Workbench } from './workbench';

const PATIENTS = [
  { name: 'Quuxley^Ottoline', id: 'QXPID1Z9' },
  { name: 'Vantablack^Ingrid', id: 'QXPID2Z9' },
];
const BURNED_IN = 'P0002/S0001/SE0001/IM000002';
const IMAGES = ['P0001/S0001/SE0001/IM000001', 'P0001/S0001/SE0001/IM000002', 'P0002/S0001/SE0001/IM000001', BURNED_IN];

function tool(name: string, args: string[]): void {
  execFileSync(name, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Two patients, four images: uncompressed, JPEG-LS, JPEG 2000 and JPEG lossless (this one burned-in). */
async function buildExport(dir: string): Promise<void> {
  const c = await corpus();
  const file = (id: string): string => {
    fs.mkdirSync(path.dirname(path.join(dir, id)), { recursive: true });
    return path.join(dir, id);
  };
  const [p1, p2] = PATIENTS.map((patient, n) => {
    const out = path.join(dir, '..', `patient${n + 1}.dcm`);
    fs.copyFileSync(c.files['mono2.dcm'], out);
    tool('dcmodify', ['-nb', '-i', `(0010,0010)=${patient.name}`, '-i', `(0010,0020)=${patient.id}`, out]);
    return out;
  });
  fs.copyFileSync(p1, file(IMAGES[0]));
  tool('dcmcjpls', ['+el', p1, file(IMAGES[1])]);
  tool('gdcmconv', ['--j2k', p2, file(IMAGES[2])]);
  tool('dcmcjpeg', ['+el', p2, file(BURNED_IN)]);
  tool('dcmodify', ['-nb', '-i', '(0028,0301)=YES', file(BURNED_IN)]);
}

/** A cheap digest of what the detail canvas shows (its RGBA bytes). */
async function canvasDigest(gallery: Frame): Promise<{ hash: number; greys: number }> {
  return gallery.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('.detail canvas.full-range')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    const greys = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      hash = (Math.imul(hash, 31) + data[i]) | 0;
      greys.add(data[i]);
    }
    return { hash, greys: greys.size };
  });
}

describe('UI: a hospital DICOM export without a manifest', () => {
  let tmp: string;
  let root: string;
  let workbench: Workbench;
  let gallery: Frame;
  const tile = (id: string): string => `.tile[data-id="${id}"]`;

  before(async function () {
    this.timeout(120_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-dicom-ui-'));
    root = path.join(tmp, 'export');
    await buildExport(root);
    workbench = await Workbench.open(root);
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    gallery = await workbench.webviewFrame('.tile img');
  });

  after(async () => {
    await workbench?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows every image unlabelled with its thumbnail, the patient count, and the burned-in mark', async () => {
    await gallery.waitForFunction((n) => {
      const images = [...document.querySelectorAll<HTMLImageElement>('.tile:not([hidden]) img')];
      return images.length === n && images.every((img) => img.complete && img.naturalWidth > 0);
    }, IMAGES.length);
    const ids = await gallery.locator('.tile:not([hidden])').evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset.id));
    assert.deepEqual([...ids].sort(), [...IMAGES].sort());
    assert.deepEqual(await gallery.locator('.tile:not([hidden]) .label').allTextContents(), IMAGES.map(() => 'unlabelled'));
    const counts = (await gallery.locator('.counts').textContent()) ?? '';
    assert.match(counts, /Showing 4 of 4/);
    assert.match(counts, /2 patients/);
    assert.equal(await gallery.locator(`${tile(BURNED_IN)} .badge.burned-in`).count(), 1);
    assert.equal(await gallery.locator('.tile:not([hidden]) .badge.burned-in').count(), 1, 'only the flagged image is marked');
    const text = (await gallery.locator('body').textContent()) ?? '';
    for (const patient of PATIENTS) assert.ok(!text.includes(patient.id) && !text.includes(patient.name), 'no patient identifier in the gallery');
    assert.ok(fs.statSync(await workbench.screenshot('dicom-gallery')).size > 10_000);
  });

  it('windows the full 12-bit values by dragging and lists the tags with identifying values hidden', async () => {
    await gallery.locator(tile(BURNED_IN)).click();
    await workbench.page.keyboard.press('Enter');
    const detail = gallery.locator('.detail');
    await detail.waitFor({ state: 'visible' });
    await gallery.locator('.detail[data-full-range="shown"]').waitFor();
    await gallery.waitForFunction(() => document.querySelector<HTMLCanvasElement>('.detail canvas.full-range')?.dataset.window !== undefined);
    assert.equal(await gallery.locator('.detail-title').textContent(), BURNED_IN);
    assert.ok(await gallery.locator('.detail-bar .badge.burned-in').isVisible(), 'the detail view marks the burned-in annotation');
    const readout = gallery.locator('.readout');
    assert.match((await readout.textContent()) ?? '', /W 4096 L 2048 \(full range\)/, 'starts at the file window');
    const before = await canvasDigest(gallery);
    const windowBefore = await gallery.locator('.detail canvas.full-range').getAttribute('data-window');

    const box = (await gallery.locator('.stage').boundingBox())!;
    const mouse = workbench.page.mouse;
    await mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await workbench.page.keyboard.down('Shift');
    await mouse.down();
    // Left narrows the window (at least to half the range for any stage up to 2,000 px wide), up lowers the level.
    await mouse.move(box.x + box.width / 2 - 360, box.y + box.height / 2 - 20, { steps: 8 });
    await mouse.up();
    await workbench.page.keyboard.up('Shift');
    await gallery.waitForFunction((was) => document.querySelector<HTMLCanvasElement>('.detail canvas.full-range')?.dataset.window !== was, windowBefore);
    const [, width, level] = /W (\d+) L (\d+)/.exec((await readout.textContent()) ?? '') ?? [];
    assert.ok(Number(width) < 2048 && Number(level) < 2048, `window/level did not follow the drag: W ${width} L ${level}`);
    const after = await canvasDigest(gallery);
    assert.notEqual(after.hash, before.hash, 'the pixels changed');
    // An 8-bit copy windowed to under half its range has under 128 distinct greys; the 12-bit values fill the scale.
    assert.ok(after.greys > 160, `windowed from the full range: ${after.greys} greys (before: ${before.greys})`);

    const value = (keyword: string) => gallery.locator(`.dicom-tags tr[data-keyword="${keyword}"] td`).first().textContent();
    assert.equal(await value('Modality'), 'DX');
    assert.equal(await value('PatientName'), '(hidden: identifying)');
    assert.equal(await value('PatientID'), '(hidden: identifying)');
    assert.equal(await value('BurnedInAnnotation'), 'YES');
    const side = (await gallery.locator('.detail-side').textContent()) ?? '';
    for (const patient of PATIENTS) assert.ok(!side.includes(patient.name) && !side.includes(patient.id), 'no PHI in the detail view');
    assert.ok(fs.statSync(await workbench.screenshot('dicom-detail-window-level')).size > 10_000);
    await workbench.page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
  });
});

describe('UI: the DICOM identifier setting', () => {
  let tmp: string;
  let root: string;
  let workbench: Workbench;

  before(async function () {
    this.timeout(120_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-dicom-ids-ui-'));
    root = path.join(tmp, 'export');
    await buildExport(root);
    workbench = await Workbench.open(root, { settings: { 'xrayCurator.dicomIdentifiers': 'raw' } });
  });

  after(async () => {
    await workbench?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('"raw" is saved with the dataset when its gallery opens, and the raw patient id is then in the metadata', async () => {
    await workbench.runCommand('X-Ray Curator: Open Dataset Gallery');
    const gallery = await workbench.webviewFrame('.tile img');
    const policy = JSON.parse(fs.readFileSync(path.join(root, '.xray-curator', 'dicom-identifiers.json'), 'utf8')) as { identifiers: string };
    assert.equal(policy.identifiers, 'raw');
    await gallery.locator('input.search').fill(PATIENTS[1].id);
    await gallery.waitForFunction(() => document.querySelectorAll('.tile:not([hidden])').length === 2);
    const ids = await gallery.locator('.tile:not([hidden])').evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset.id));
    assert.deepEqual(ids.sort(), IMAGES.filter((id) => id.startsWith('P0002/')).sort());
    const text = (await gallery.locator('body').textContent()) ?? '';
    for (const patient of PATIENTS) assert.ok(!text.includes(patient.name), 'names are never shown or written');
  });
});
