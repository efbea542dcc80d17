// Opening (scanning) a large dataset: a folder of N hard links to the cxr images, first without the file-facts
// cache (every file hashed, every header read), then again with it (what reopening costs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDataset, STATE_DIR_NAME } from '../src/dataset';
import { CXR_DIR, requireShared } from '../test/support/shared';
import { progress, runBenchmark } from './lib/child';
import { timed } from './lib/stats';
import { replicatedDataset } from './lib/workspace';

runBenchmark('scan', async ({ quick, work, options }) => {
  const count = Number(options.get('count') ?? (quick ? 10_000 : 50_000));
  const dir = replicatedDataset(work, requireShared(CXR_DIR), count);
  fs.rmSync(path.join(dir, STATE_DIR_NAME), { recursive: true, force: true });
  progress('scan', `opening ${count} images in ${dir}`);
  const cold = await timed(() => openDataset(dir));
  const warm = await timed(() => openDataset(dir));
  const unreadable = cold.result.items.filter((item) => item.error).length;
  if (cold.result.items.length !== count) throw new Error(`scan found ${cold.result.items.length} items, expected ${count}`);
  return {
    metrics: {
      'scan.coldSeconds': cold.ms / 1000,
      'scan.coldItemsPerSec': count / (cold.ms / 1000),
      'scan.warmSeconds': warm.ms / 1000,
    },
    inputs: { items: count, distinctFiles: new Set(cold.result.items.map((i) => i.hash)).size, unreadable, layout: 'class folders of hard links to cxr, no manifest' },
  };
});
