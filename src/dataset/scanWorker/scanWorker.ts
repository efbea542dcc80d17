// Entry of the worker process that scans a dataset folder (see scanInWorker.ts). Bundled to dist/scanWorker.js.
// The scan's own memory (the file-facts cache, the listing, the snapshot's JSON) lives and dies with this process.
import { openDataset } from '../openDataset';
import { folderFingerprint } from '../scanFingerprint';
import { saveScanSnapshot } from '../scanSnapshot';
import type { Dataset, DatasetItem } from '../types';
import { ITEMS_PER_MESSAGE } from './protocol';
import type { FromScanWorker, ScanStart, ToScanWorker } from './protocol';

if (!process.send) throw new Error('scanWorker must run as a child process with an IPC channel');
const scanStart = JSON.parse(process.argv[2] ?? '{}') as ScanStart;
const post = (message: FromScanWorker): void => void process.send!(message);
const controller = new AbortController();
let scanned: Dataset | undefined;
let taken: (() => void) | undefined;
// The extension host is gone (closed, crashed, killed): nobody waits for this scan.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: ToScanWorker) => {
  if (message.type === 'cancel') controller.abort();
  else if (message.type === 'taken') taken?.();
  else if (message.type === 'save' && scanned) void saveScanSnapshot(scanned).then((warning) => post({ type: 'saved', warning }));
});

/**
 * Posts `items` a part at a time, each once the last was taken: posted all at once, the copies waited in the queue
 * together (200 MB at 400,000 items), and the memory they took stayed with the process after they were read.
 */
async function postInParts(items: readonly DatasetItem[], message: (part: DatasetItem[], last: boolean) => FromScanWorker): Promise<void> {
  const size = scanStart.partSize ?? ITEMS_PER_MESSAGE;
  for (let start = 0; start < items.length || start === 0; start += size) {
    const wasTaken = new Promise<void>((resolve) => (taken = resolve));
    post(message(items.slice(start, start + size), start + size >= items.length));
    await wasTaken;
  }
}

/** The listing in parts, each with the counts of all of it: the gallery paints the first part with the right totals. */
function postListing(items: readonly DatasetItem[]): Promise<void> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.sourceLabel ?? 'unlabeled'] = (counts[item.sourceLabel ?? 'unlabeled'] ?? 0) + 1;
  return postInParts(items, (part, last) => ({ type: 'listed', items: part, last, total: items.length, counts }));
}

async function main(): Promise<void> {
  const { root, listing, unchangedIf } = scanStart;
  if (unchangedIf && (await folderFingerprint(root, unchangedIf.sources)) === unchangedIf.fingerprint) {
    post({ type: 'unchanged' });
    return;
  }
  let listed: Promise<void> | undefined;
  const dataset = await openDataset(root, {
    signal: controller.signal,
    fingerprint: true,
    onRead: (done, total) => post({ type: 'read', done, total }),
    ...(listing ? { onListed: (items: DatasetItem[]) => void (listed = postListing(items)) } : {}),
  });
  await listed;
  const { items, ...rest } = dataset;
  await postInParts(items, (part) => ({ type: 'items', items: part }));
  scanned = dataset;
  post({ type: 'scanned', dataset: rest });
}

main().catch((error: unknown) => {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), cancelled: controller.signal.aborted });
});
