// Grad-CAM maps for the gallery's detail view, computed in a worker thread and kept per image content and model
// version; one job at a time (a newer request stops the running one: the user moved on).
import type { DatasetItem } from '../dataset';
import { runJob } from '../ml/jobs/runJob';
import type { SaliencyMap, SaliencyParams } from '../ml/saliency';

/** Maps kept: going back to an item shows its map at once. */
const MAX_CACHED_SALIENCY = 64;

export class SaliencyMaps {
  private readonly maps = new Map<string, Promise<SaliencyMap>>();
  private job: AbortController | undefined;

  /** `cacheDir`: where the ML jobs cache downloaded backbones (as the model commands do). */
  constructor(private readonly cacheDir: string | undefined) {}

  /** `version`: a model version folder (with `finding`, a findings model's). */
  of(item: DatasetItem & { hash: string }, version: { dir: string }, finding?: string): Promise<SaliencyMap> {
    const key = `${version.dir}\0${item.hash}\0${finding ?? ''}`;
    let map = this.maps.get(key);
    if (!map) {
      this.job?.abort();
      const job = new AbortController();
      this.job = job;
      const params: SaliencyParams = { file: item.absPath, versionDir: version.dir, cacheDir: this.cacheDir, ...(finding !== undefined ? { finding } : {}) };
      map = runJob<SaliencyMap>('saliency', params, { signal: job.signal });
      this.maps.set(key, map);
      map.catch(() => this.maps.delete(key)).finally(() => {
        if (this.job === job) this.job = undefined;
      });
      for (const stale of this.maps.keys()) {
        if (this.maps.size <= MAX_CACHED_SALIENCY) break;
        this.maps.delete(stale);
      }
    }
    return map;
  }

  dispose(): void {
    this.job?.abort();
  }
}
