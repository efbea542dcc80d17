// Thumbnail making (decode + resize + WebP encode + atomic write) into an empty cache, on the cxr images and on
// the full-size clinical files of cxr-fullres; then the cached path (what reopening the gallery costs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDataset, thumbnail, THUMBNAIL_SIZE } from '../src/dataset';
import { CXR_FULLRES_DIR, requireShared } from '../test/support/shared';
import { progress, runBenchmark } from './lib/child';
import { percentile } from './lib/stats';
import { cxrWorkCopy, sampledDataset } from './lib/workspace';

interface ThumbTiming {
  images: number;
  msPerImage: number;
  p99Ms: number;
  cachedMsPerImage: number;
  megapixels: number;
}

async function timeThumbnails(root: string, cacheDir: string): Promise<ThumbTiming> {
  const dataset = await openDataset(root);
  const items = dataset.items.filter((item) => item.hash && !item.error);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const each: number[] = [];
  for (const item of items) {
    const start = performance.now();
    await thumbnail(item.absPath, item.hash!, cacheDir, THUMBNAIL_SIZE);
    each.push(performance.now() - start);
  }
  const start = performance.now();
  for (const item of items) await thumbnail(item.absPath, item.hash!, cacheDir, THUMBNAIL_SIZE);
  const cachedMs = performance.now() - start;
  const pixels = items.reduce((sum, item) => sum + (item.width ?? 0) * (item.height ?? 0), 0);
  return {
    images: items.length,
    msPerImage: each.reduce((a, b) => a + b, 0) / items.length,
    p99Ms: percentile(each, 99)!,
    cachedMsPerImage: cachedMs / items.length,
    megapixels: pixels / 1e6 / items.length,
  };
}

runBenchmark('thumbnails', async ({ quick, work }) => {
  const sample = quick ? 150 : 600;
  const cxr = sampledDataset(work, cxrWorkCopy(work), `thumbs-cxr-${sample}`, sample);
  // Hard links, so that not even the file-facts cache is written next to the shared files.
  const fullres = sampledDataset(work, requireShared(CXR_FULLRES_DIR), 'thumbs-fullres', Number.MAX_SAFE_INTEGER);
  progress('thumbnails', `cxr: ${sample} images`);
  const small = await timeThumbnails(cxr, path.join(work, 'thumb-cache-cxr'));
  progress('thumbnails', 'cxr-fullres');
  const large = await timeThumbnails(fullres, path.join(work, 'thumb-cache-fullres'));
  return {
    metrics: {
      'thumbnails.cxrMsPerImage': small.msPerImage,
      'thumbnails.cxrP99Ms': small.p99Ms,
      'thumbnails.fullresMsPerImage': large.msPerImage,
      'thumbnails.fullresP99Ms': large.p99Ms,
      'thumbnails.cachedMsPerImage': small.cachedMsPerImage,
    },
    inputs: {
      size: THUMBNAIL_SIZE,
      cxr: { images: small.images, meanMegapixels: +small.megapixels.toFixed(2) },
      cxrFullres: { images: large.images, meanMegapixels: +large.megapixels.toFixed(2) },
    },
  };
});
