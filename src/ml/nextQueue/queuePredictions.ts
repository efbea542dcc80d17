// The predictions the uncertainty strategies rank by: the newest class model's, or on a multi-label dataset the
// newest findings model's (one independent probability per finding).
import { predictionVersions, readPredictions } from '../predictionFiles';
import { latestFindingPredictions } from '../multilabel/findingPredictions';

export interface QueuePredictions {
  modelVersion: number;
  /** `probs` are per-finding probabilities, not a class distribution. */
  multiLabel: boolean;
  probsById: Map<string, number[]>;
}

export async function latestQueuePredictions(root: string, multiLabel: boolean): Promise<QueuePredictions | undefined> {
  if (multiLabel) {
    const findings = await latestFindingPredictions(root);
    return findings && { modelVersion: findings.modelVersion, multiLabel, probsById: new Map(findings.items.map((p) => [p.id, p.probs])) };
  }
  const [newest] = await predictionVersions(root);
  const predictions = newest === undefined ? undefined : await readPredictions(root, newest);
  return predictions && { modelVersion: predictions.modelVersion, multiLabel, probsById: new Map(predictions.items.map((p) => [p.id, p.probs])) };
}
