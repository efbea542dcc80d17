// The gallery webview in headless Chromium with 50,000 items: time from navigation to the first tile image
// (thumbnails cached, served from loopback), frames per second while scrolling top to bottom, memory of the
// page, and how long a relabel keypress takes to show on its tile. The page stands in for VS Code with
// `gallery/pageHost.ts`; the gallery itself is the shipped bundle `dist/webview/gallery.js`.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { openDataset, thumbnail } from '../src/dataset';
import { launchBrowser, PROJECT_ROOT } from '../test/host/vscodeHost';
import { progress, runBenchmark } from './lib/child';
import { installRelabelWatch, relabelOnce, scroll } from './lib/galleryProbe';
import type { RelabelTiming } from './lib/galleryProbe';
import { largestRenderer } from './lib/processMemory';
import { median } from './lib/stats';
import { cxrWorkCopy, sampledDataset } from './lib/workspace';

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><link rel="stylesheet" href="/gallery.css"><title>gallery bench</title>
<script src="/host.js"></script></head>
<body><script type="module" src="/gallery.js"></script></body></html>`;

/** A fast trackpad or wheel fling moves about this much per frame. */
const WHEEL_PIXELS_PER_FRAME = 120;

interface Served {
  url: string;
  close(): Promise<void>;
}

/** A loopback server for the page, the bundle, the stylesheet and the thumbnails (cached by the browser like VS Code's). */
async function serve(thumbFiles: readonly string[]): Promise<Served> {
  const bundle = path.join(PROJECT_ROOT, 'dist', 'webview', 'gallery.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`node esbuild.js\` first`);
  const host = buildSync({ entryPoints: [path.join(PROJECT_ROOT, 'bench', 'gallery', 'pageHost.ts')], bundle: true, format: 'iife', write: false }).outputFiles[0].text;
  const files = new Map<string, { body: Buffer; type: string }>([
    ['/', { body: Buffer.from(PAGE), type: 'text/html' }],
    ['/host.js', { body: Buffer.from(host), type: 'text/javascript' }],
    ['/gallery.js', { body: fs.readFileSync(bundle), type: 'text/javascript' }],
    ['/gallery.css', { body: fs.readFileSync(path.join(PROJECT_ROOT, 'media', 'gallery.css')), type: 'text/css' }],
    ...thumbFiles.map((file, k): [string, { body: Buffer; type: string }] => [`/thumbs/${k}`, { body: fs.readFileSync(file), type: 'image/webp' }]),
  ]);
  const server = http.createServer((request, response) => {
    // Every item has its own thumbnail URL, /thumbs/K/ITEM.webp; the server answers with real thumbnail K.
    const pathname = new URL(request.url ?? '/', 'http://x').pathname.replace(/^(\/thumbs\/\d+)\/\d+\.webp$/, '$1');
    const file = files.get(pathname);
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'max-age=3600' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

runBenchmark('gallery', async ({ quick, work, options }) => {
  const count = Number(options.get('items') ?? 50_000);
  const frames = quick ? 300 : 600;
  const presses = quick ? 10 : 30;
  // Real thumbnails, made by the project's own thumbnailer from a spread of cxr images.
  const sample = await openDataset(sampledDataset(work, cxrWorkCopy(work), 'gallery-thumb-sources', 24));
  const thumbDir = path.join(work, 'gallery-thumbs');
  const thumbFiles = await Promise.all(sample.items.map((item) => thumbnail(item.absPath, item.hash!, thumbDir)));
  const server = await serve(thumbFiles);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    // Once, so the HTTP cache holds the thumbnails ("thumbnails cached"), then the measured open.
    await page.goto(`${server.url}?items=${count}&thumbs=${thumbFiles.length}`);
    await page.waitForFunction(() => (window as unknown as { __bench: { firstTileMs?: number } }).__bench.firstTileMs !== undefined, undefined, { timeout: 60_000 });
    progress('gallery', `open with ${count} items`);
    await page.goto(`${server.url}?items=${count}&thumbs=${thumbFiles.length}`);
    const open = await (await page.waitForFunction(() => {
      const b = (window as unknown as { __bench: { firstTileMs?: number; readyAnsweredMs?: number } }).__bench;
      return b.firstTileMs !== undefined ? { firstTileMs: b.firstTileMs, readyAnsweredMs: b.readyAnsweredMs } : null;
    }, undefined, { timeout: 60_000 })).jsonValue() as { firstTileMs: number; readyAnsweredMs: number };
    const tiles = await page.locator('.tile:not([hidden])').count();
    const elements = await page.evaluate(() => ({ all: document.querySelectorAll('*').length, tiles: document.querySelectorAll('.tile').length }));

    progress('gallery', `scrolling top to bottom in ${frames} frames, then ${frames} frames at wheel speed`);
    const through = await scroll(page, frames, null);
    const wheel = await scroll(page, frames, WHEEL_PIXELS_PER_FRAME);
    // Memory as it settles, not garbage that the next collection would free.
    await cdp.send('HeapProfiler.collectGarbage');
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const memory = largestRenderer();

    progress('gallery', `${presses} relabel keypresses`);
    await page.evaluate(() => (document.querySelector<HTMLElement>('main.grid-host')!.scrollTop = 0));
    await page.locator('.tile:not([hidden])').first().click();
    await installRelabelWatch(page);
    const relabels: RelabelTiming[] = [];
    for (let k = 0; k < presses; k++) relabels.push(await relabelOnce(page, page.keyboard, ['COVID', 'NORMAL', 'PNEUMONIA']));
    const latencies = relabels.map((r) => r.latencyMs);
    return {
      metrics: {
        'gallery.firstTileMs': open.firstTileMs,
        'gallery.scrollFps': through.fps,
        'gallery.scrollP95FrameMs': through.p95FrameMs,
        'gallery.wheelScrollFps': wheel.fps,
        'gallery.jsHeapMB': metrics.JSHeapUsedSize / 2 ** 20,
        'gallery.rendererPrivateMB': memory?.privateMB ?? null,
        'gallery.rendererRssMB': memory?.rssMB ?? null,
        'gallery.relabelMedianMs': median(latencies),
        'gallery.relabelWithinFrame': relabels.every((r) => r.byNextFrame),
      },
      inputs: {
        items: count,
        viewport: '1440×900',
        visibleTiles: tiles,
        thumbnails: `${thumbFiles.length} real WebP thumbnails (256 px), one URL per item, HTTP-cached`,
        readyAnsweredMs: Math.round(open.readyAnsweredMs),
        scrollFrames: frames,
        scrollTopToBottom: `${frames} frames, ${through.pixelsPerFrame} px per frame (like dragging the scroll bar)`,
        wheelScroll: `${frames} frames, ${wheel.pixelsPerFrame} px per frame from the top`,
        relabelPresses: presses,
        domNodes: metrics.Nodes,
        elementsAfterOpen: elements,
        browser: browser.version(),
        flags: '--no-sandbox --disable-gpu --disable-background-networking (headless)',
      },
    };
  } finally {
    await browser.close();
    await server.close();
  }
});
