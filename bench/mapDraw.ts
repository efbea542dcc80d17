// The dataset map's drawing at the sizes users hold: the map webview bundle (`dist/webview/map.js`) in headless
// Chromium, on a page that stands in for VS Code (`map/pageHost.ts`) with 400,000 points (50,000 in --quick too).
// Reports frames per second while zooming with the wheel (every frame redraws every point), the time from the end of
// a lasso to the points it holds being selected and drawn, and the page's memory. The host's side (the map's own
// computation) is measured by the `similarity` benchmark; this one is the drawing the user watches.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { launchBrowser, PROJECT_ROOT } from '../test/host/vscodeHost';
import { progress, runBenchmark } from './lib/child';
import type { MetricValue } from './lib/child';
import { largestRenderer } from './lib/processMemory';
import { median, percentile } from './lib/stats';

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><link rel="stylesheet" href="/map.css"><title>map bench</title>
<script src="/host.js"></script></head>
<body><script type="module" src="/map.js"></script></body></html>`;

async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = path.join(PROJECT_ROOT, 'dist', 'webview', 'map.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`node esbuild.js\` first`);
  const host = buildSync({ entryPoints: [path.join(PROJECT_ROOT, 'bench', 'map', 'pageHost.ts')], bundle: true, format: 'iife', write: false }).outputFiles[0].text;
  const files = new Map<string, { body: Buffer; type: string }>([
    ['/', { body: Buffer.from(PAGE), type: 'text/html' }],
    ['/host.js', { body: Buffer.from(host), type: 'text/javascript' }],
    ['/map.js', { body: fs.readFileSync(bundle), type: 'text/javascript' }],
    ['/map.css', { body: fs.readFileSync(path.join(PROJECT_ROOT, 'media', 'map.css')), type: 'text/css' }],
  ]);
  const server = http.createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

runBenchmark('mapDraw', async ({ quick }) => {
  const sizes = quick ? [50_000, 400_000] : [50_000, 400_000];
  const frames = quick ? 120 : 300;
  const server = await serve();
  const browser = await launchBrowser();
  const metrics: Record<string, MetricValue> = {};
  const details: Record<string, unknown> = {};
  try {
    for (const points of sizes) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${server.url}?points=${points}`);
      await page.waitForSelector(`body[data-points="${points}"]`, { timeout: 120_000 });
      const box = (await page.locator('canvas').boundingBox())!;
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      progress('mapDraw', `${points} points: ${frames} frames of wheel zoom`);
      await page.mouse.move(cx, cy);
      // One wheel event per frame, zooming in then out: every frame repaints every point.
      const stamps = await page.evaluate(
        ({ n, x, y }) =>
          new Promise<number[]>((resolve) => {
            const canvas = document.querySelector('canvas')!;
            const times: number[] = [];
            const frame = (time: number): void => {
              times.push(time);
              if (times.length > n) return resolve(times);
              canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: times.length <= n / 2 ? -40 : 40, clientX: x, clientY: y, bubbles: true, cancelable: true }));
              requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
          }),
        { n: frames, x: cx, y: cy },
      );
      const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
      progress('mapDraw', `${points} points: lasso over a third of the map`);
      const lassoMs: number[] = [];
      for (let k = 0; k < 5; k++) {
        const ring = Array.from({ length: 40 }, (_, i) => {
          const a = (2 * Math.PI * i) / 40;
          return [cx + box.width * 0.3 * Math.cos(a), cy + box.height * 0.3 * Math.sin(a)];
        });
        await page.mouse.move(ring[0][0], ring[0][1]);
        await page.mouse.down();
        for (const [x, y] of ring.slice(1)) await page.mouse.move(x, y);
        const before = await page.evaluate(() => document.body.dataset.selected);
        const started = await page.evaluate(() => performance.now());
        await page.mouse.up();
        const ended = await (await page.waitForFunction((b) => (document.body.dataset.selected !== b ? new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))) : null), before)).jsonValue();
        lassoMs.push((ended as number) - started);
        await page.locator('button', { hasText: 'Clear selection' }).click();
      }
      const selectedCount = await page.evaluate(() => document.querySelector('.map-status')?.textContent);
      const memory = largestRenderer();
      metrics[`mapDraw.${points}.zoomFps`] = gaps.length / ((stamps.at(-1)! - stamps[0]) / 1000);
      metrics[`mapDraw.${points}.zoomP95FrameMs`] = percentile(gaps, 95);
      metrics[`mapDraw.${points}.lassoMs`] = median(lassoMs);
      metrics[`mapDraw.${points}.rendererPrivateMB`] = memory?.privateMB ?? null;
      details[`${points}`] = { lassoRuns: lassoMs.map((ms) => Math.round(ms)), statusAfterLastLasso: selectedCount };
      progress('mapDraw', `${points}: zoom ${(metrics[`mapDraw.${points}.zoomFps`] as number).toFixed(1)} fps, lasso ${median(lassoMs)?.toFixed(0)} ms`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return {
    metrics,
    inputs: { sizes, zoomFrames: frames, viewport: '1440×900', points: 'seeded, 40 Gaussian clusters', page: 'stand-in for VS Code (bench/map/pageHost.ts), the shipped map bundle', browser: browser.version() },
    details,
  };
});
