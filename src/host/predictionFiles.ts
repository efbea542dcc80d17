// The predictions an open gallery shows: the newest version's file compared with the one before it, so a gallery
// opened on a dataset with a trained model shows its predictions, and a retrain (a new vN.json) reaches it.
import { predictionVersions, readPredictions } from '../ml/predictionFiles';
import type { PredictionSet } from './galleryData';

/**
 * The latest version's predictions, compared with the version before it; undefined when none were written or when
 * the latest is `shown` (checked on the file names, before any large file is parsed).
 */
export async function latestPredictions(root: string, shown?: string): Promise<PredictionSet | undefined> {
  const versions = await predictionVersions(root);
  if (versions.length === 0 || `v${versions[0]}` === shown) return undefined;
  const latest = await readPredictions(root, versions[0]);
  if (!latest) return undefined;
  const previous = versions.length > 1 ? await readPredictions(root, versions[1]).catch(() => undefined) : undefined;
  return {
    model: `v${latest.modelVersion}`,
    classes: latest.classes,
    predictions: latest.items,
    // Without an earlier version nothing "changed"; an empty previous set says so.
    previous: previous?.items ?? [],
  };
}
