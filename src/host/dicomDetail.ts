// What the detail view gets of an item beyond the gallery's data: a DICOM file's tags with every identifying value
// masked (PHI never crosses into the webview), and the full-range pixels of DICOM and 16-bit PNG for window/level
// on the 12/16-bit values, decoded in a worker thread (fullRangeDecode.ts).
import * as fs from 'node:fs/promises';
import sharp from 'sharp';
import { listDicomTags } from '../dataset/dicom';
import type { DicomTagEntry } from '../dataset/dicom';
import type { DatasetItem } from '../dataset';
import { runJob } from '../ml/jobs/runJob';
import type { DicomTagRow, DicomTagsReply, PixelsReply } from '../shared/protocol';
import type { FullRangePixels } from '../dataset/fullRangePixels';

/** Full-range images kept (per content hash): going back to an item windows it at once. */
const MAX_CACHED_PIXELS = 4;

/** The tag rows the webview may see: identifying attributes keep their name, never their value. */
export function maskedTagRows(entries: readonly DicomTagEntry[]): DicomTagRow[] {
  return entries.map(({ tag, keyword, vr, depth, value, phi }) => ({ tag, keyword, vr, depth, value: phi ? null : value }));
}

export async function dicomTagsReply(item: DatasetItem): Promise<DicomTagsReply> {
  requireDicom(item);
  return { type: 'dicomTags', id: item.id, tags: maskedTagRows(listDicomTags(await fs.readFile(item.absPath))) };
}

/** The item has more than 8 bits to window: DICOM, or a PNG with 16-bit samples (read from its header). */
export async function hasFullRange(item: DatasetItem): Promise<boolean> {
  if (item.error) return false;
  if (item.format === 'dicom') return true;
  return item.format === 'png' && (await sharp(item.absPath).metadata().then((m) => m.depth === 'ushort', () => false));
}

/** Full-range pixels decoded in a worker thread, a few kept by content hash. */
export class PixelCache {
  private readonly byHash = new Map<string, Promise<FullRangePixels>>();

  async reply(item: DatasetItem): Promise<PixelsReply> {
    if (!(await hasFullRange(item))) throw new Error(`${item.id} has no more than 8 bits to window${item.error ? `: ${item.error}` : ''}`);
    const key = item.hash ?? item.absPath;
    let pixels = this.byHash.get(key);
    if (!pixels) {
      pixels = runJob<FullRangePixels>('fullRange', { file: item.absPath });
      this.byHash.set(key, pixels);
      pixels.catch(() => this.byHash.delete(key));
      for (const stale of this.byHash.keys()) {
        if (this.byHash.size <= MAX_CACHED_PIXELS) break;
        this.byHash.delete(stale);
      }
    }
    return { type: 'pixels', id: item.id, ...(await pixels) };
  }
}

function requireDicom(item: DatasetItem): void {
  if (item.format !== 'dicom') throw new Error(`${item.id} is not a DICOM file`);
  if (item.error) throw new Error(`${item.id} cannot be read: ${item.error}`);
}
