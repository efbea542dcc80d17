import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { openDataset } from '../../src/dataset';
import { makeCxrSubset } from '../support/cxrSubset';
import { Workbench } from './workbench';

interface View {
  scale: number;
  ox: number;
  oy: number;
}

/** Convex hull (Andrew's monotone chain) of 2-D points, counter-clockwise. */
function hull(points: [number, number][]): [number, number][] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: number[], a: number[], b: number[]): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]): [number, number][] => {
    const out: [number, number][] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    return out.slice(0, -1);
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/** Even-odd point-in-polygon, written here independently of the webview's. */
function inside([x, y]: [number, number], polygon: [number, number][]): boolean {
  let odd = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [[xi, yi], [xj, yj]] = [polygon[i], polygon[j]];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

// The acceptance of the dataset map on real chest X-rays: open it beside the gallery, colour it by source, lasso the
// kermany (paediatric) cluster with the mouse, and the gallery shows exactly the images inside the lasso.
describe('UI: the dataset map', () => {
  let root: string;
  let workbench: Workbench;
  let gallery: Frame;
  let map: Frame;

  before(async () => {
    root = makeCxrSubset(40);
    workbench = await Workbench.open(root, { settings: { 'xrayCurator.augmentViews': 1 } });
  });

  after(async () => {
    await workbench?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('Open Dataset Map shows every embedded image beside the gallery, coloured by source', async () => {
    gallery = await workbench.retrainAndOpenGallery();
    await workbench.runCommand('X-Ray Curator: Open Dataset Map');
    map = await workbench.webviewFrame('body[data-points="120"]', 120_000);
    await map.locator('select[aria-label="Colour the points by"]').selectOption('source');
    const legend = (await map.locator('.legend').textContent()) ?? '';
    assert.match(legend, /kermany \(\d+\)/);
    assert.match((await map.locator('.map-note').textContent()) ?? '', /120 images by their embeddings \(PCA, then UMAP; computed and cached\)/);
    await workbench.screenshot('map-by-source');
  });

  it('a lasso around the kermany cluster shows exactly the images inside it in the gallery', async () => {
    const dataset = await openDataset(root);
    const mapsDir = path.join(root, '.xray-curator', 'maps');
    const file = JSON.parse(fs.readFileSync(path.join(mapsDir, fs.readdirSync(mapsDir)[0]), 'utf8')) as { points: { hash: string; x: number; y: number }[] };
    const at = new Map(file.points.map((p) => [p.hash, [p.x, p.y] as [number, number]]));
    const points = dataset.items.map((item) => ({ id: item.id, source: item.metadata.source, xy: at.get(item.hash!)! }));
    const kermany = points.filter((p) => p.source === 'kermany');
    assert.ok(kermany.length >= 20, `${kermany.length} kermany images`);

    // The hull of the kermany points, pushed out 4% from its centre, drawn on screen through the canvas's view.
    const view = JSON.parse((await map.locator('canvas').getAttribute('data-view'))!) as View;
    const box = (await map.locator('canvas').boundingBox())!;
    const corners = hull(kermany.map((p) => p.xy));
    const [cx, cy] = [corners.reduce((s, p) => s + p[0], 0) / corners.length, corners.reduce((s, p) => s + p[1], 0) / corners.length];
    const ring = corners.map(([x, y]): [number, number] => [cx + (x - cx) * 1.04, cy + (y - cy) * 1.04]);
    const screen = ring.map(([x, y]): [number, number] => [box.x + x * view.scale + view.ox, box.y + y * view.scale + view.oy]);
    // Edges in steps of 8 px: every step is a lasso vertex (the webview keeps moves of more than 3 px).
    const path2: [number, number][] = [];
    screen.forEach((p, i) => {
      const q = screen[(i + 1) % screen.length];
      const steps = Math.max(1, Math.ceil(Math.hypot(q[0] - p[0], q[1] - p[1]) / 8));
      for (let s = 0; s < steps; s++) path2.push([p[0] + ((q[0] - p[0]) * s) / steps, p[1] + ((q[1] - p[1]) * s) / steps]);
    });
    const drawn = path2.map(([x, y]): [number, number] => [(x - box.x - view.ox) / view.scale, (y - box.y - view.oy) / view.scale]);
    const expected = points.filter((p) => inside(p.xy, drawn)).map((p) => p.id).sort();
    for (const p of kermany) assert.ok(expected.includes(p.id), `${p.id} is inside the lasso`);

    const mouse = workbench.page.mouse;
    await mouse.move(...path2[0]);
    await mouse.down();
    for (const p of path2.slice(1)) await mouse.move(...p);
    await mouse.up();
    await map.locator(`body[data-selected="${expected.length}"]`).waitFor();

    const bar = gallery.locator('.item-list');
    await bar.filter({ hasText: `${expected.length} images selected on the map` }).waitFor();
    await gallery.waitForFunction((n) => (document.querySelector('.counts')?.textContent ?? '').includes(`Showing ${n} of 120`), expected.length);
    const shown = await gallery.locator('.tile:not([hidden])').evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset.id!));
    assert.ok(shown.length > 0 && shown.every((id) => expected.includes(id)), 'every tile shown is inside the lasso');
    const purity = expected.filter((id) => points.find((p) => p.id === id)!.source === 'kermany').length / expected.length;
    console.log(`      lasso: ${expected.length} images, ${kermany.length} kermany among them (purity ${purity.toFixed(2)})`);
    assert.ok(purity >= 0.8, `the kermany cluster is mostly kermany: ${purity}`);
    await workbench.screenshot('map-lasso');
  });

  it('the gallery\'s focus lights up on the map, and Clear selection shows every image again', async () => {
    await gallery.locator('.tile:not([hidden])').first().click();
    await map.locator('body[data-highlighted="1"]').waitFor();
    await workbench.page.keyboard.press('Shift+ArrowRight');
    await map.locator('body[data-highlighted="2"]').waitFor();
    await map.locator('button', { hasText: 'Clear selection' }).click();
    await gallery.waitForFunction(() => (document.querySelector('.counts')?.textContent ?? '').includes('Showing 120 of 120'));
    assert.equal(await gallery.locator('.item-list').isVisible(), false);
    assert.equal(await map.locator('body').getAttribute('data-selected'), '0');
  });
});
