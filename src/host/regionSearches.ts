// The gallery's "find this region": the images holding what a box drawn in the detail view holds, searched in a
// worker thread under a cancellable notification (the first search of a dataset reads every image once).
import type { DatasetItem } from '../dataset';
import { BUILTIN_BACKBONE } from '../ml/builtinBackbone';
import type { RegionSearchAnswer, RegionSearchParams } from '../ml/region/regionJob';
import { seededRandom, shuffled } from '../ml/splits';
import type { ItemList, RegionBox } from '../shared/protocol';
import { runJobWithProgress } from './jobProgress';
import { readSettings } from './settings';

/**
 * Images one search covers at most: reading a map costs about as much as embedding the image (minutes per 10,000
 * on 2 cores) and keeps 25 KB of it in memory. Larger datasets are searched in a fixed sample, the same each time,
 * so its maps are read once.
 */
export const REGION_SEARCH_LIMIT = 20_000;

export class RegionSearches {
  constructor(
    private readonly root: string,
    /** Where the ML jobs cache downloaded backbones. */
    private readonly cacheDir: string | undefined,
  ) {}

  /** The item and the `k` images whose best-matching window is most like `box` on it, as a list (undefined: cancelled). */
  async find(item: DatasetItem, items: readonly DatasetItem[], box: RegionBox, k: number): Promise<ItemList | undefined> {
    if (!item.hash || item.error) throw new Error(`${item.id} cannot be searched from: ${item.error ?? 'it has not been read yet'}`);
    const settings = readSettings();
    const readable = items.filter((i): i is DatasetItem & { hash: string } => !!i.hash && !i.error);
    const sampled = readable.length > REGION_SEARCH_LIMIT;
    const searched = sampled ? [item as DatasetItem & { hash: string }, ...shuffled(readable.filter((i) => i !== item), seededRandom(1)).slice(0, REGION_SEARCH_LIMIT - 1)] : readable;
    const params: RegionSearchParams = {
      root: this.root,
      items: searched.map((i) => ({ id: i.id, hash: i.hash, path: i.absPath })),
      queryId: item.id,
      box,
      k,
      backbone: settings.backbone || BUILTIN_BACKBONE,
      backboneSha256: settings.backboneSha256 || undefined,
      cacheDir: this.cacheDir,
    };
    const answer = await runJobWithProgress<RegionSearchAnswer>(`Finding the region of ${item.id}`, 'regionSearch', params, 'the region maps read so far are kept for the next search');
    if (!answer) return undefined;
    const unreadable = answer.unreadable.length ? `; ${answer.unreadable.length} could not be read` : '';
    return {
      kind: 'region',
      title: `${answer.matches.length} images with a region most like the box on ${item.id} (among ${sampled ? `a sample of ${answer.searched.toLocaleString('en-US')} of ${readable.length.toLocaleString('en-US')}` : answer.searched.toLocaleString('en-US')}, early-layer features${unreadable})`,
      ids: [item.id, ...answer.matches.map((m) => m.id)],
      scores: [1, ...answer.matches.map((m) => m.similarity)],
      scoreName: 'region similarity',
      boxes: [box, ...answer.matches.map((m) => m.box)],
    };
  }
}
