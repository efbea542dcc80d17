// The predictions an open gallery shows: the newest version's file compared with the one before it, so a gallery
// opened on a dataset with a trained model shows its predictions, and a retrain (a new vN.json) reaches it.
import { latestFindingPredictions } from '../ml/multilabel/findingPredictions';
import { predictionVersions, readPredictions } from '../ml/predictionFiles';
import { latestLabelIssues } from './auditFiles';
import type { PredictionSet, PredictionStore } from './galleryData';

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

/**
 * Brings `store` up to the files: the latest class predictions, the latest findings model's probabilities and the
 * latest audit's label issues, each only when newer than what it holds. Returns the ids whose gallery view changed.
 */
export async function readShownPredictions(root: string, store: PredictionStore): Promise<Set<string>> {
  const touched = new Set<string>();
  const add = (ids: Iterable<string>): void => {
    for (const id of ids) touched.add(id);
  };
  const latest = await latestPredictions(root, store.model);
  if (latest) add(store.set(latest));
  const findings = await latestFindingPredictions(root, store.findings.model?.model);
  if (findings) add(store.findings.set(findings));
  const issues = store.hasIssueScores ? undefined : await latestLabelIssues(root);
  if (issues) add(store.setLabelIssues(issues));
  return touched;
}
