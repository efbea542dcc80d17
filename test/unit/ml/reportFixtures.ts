// Deterministic predictions for the report tests: a hand-checkable two-class case and a larger
// three-class set with sources and patients.
import { seededRandom } from '../../../src/ml/splits';
import type { ReportItem } from '../../../src/ml/report';

/** NORMAL is listed first on purpose: the positive class must still be COVID. */
export const TWO_CLASSES = ['NORMAL', 'COVID'];

/**
 * P(COVID) of five COVID and five NORMAL items. Confusion (rows true NORMAL, COVID): [[4, 1], [1, 4]];
 * accuracy 0.8, MCC and kappa 0.6; AUC of COVID 24/25 (0.4 is below the NORMAL 0.55).
 * `worse` moves COVID 0.6 to 0.45: accuracy 0.7, sensitivity of COVID 0.6, AUC 23/25, specificity unchanged.
 */
export function twoClassItems(options: { worse?: boolean } = {}): ReportItem[] {
  const covid = [0.9, 0.8, 0.7, options.worse ? 0.45 : 0.6, 0.4];
  const normal = [0.55, 0.3, 0.2, 0.1, 0.05];
  return [
    ...covid.map((p, i) => ({ id: `COVID/c${i}.png`, label: 'COVID', probs: [1 - p, p] })),
    ...normal.map((p, i) => ({ id: `NORMAL/n${i}.png`, label: 'NORMAL', probs: [1 - p, p] })),
  ];
}

export const THREE_CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'];

/** Where each class mostly comes from, as in the shared data: sources entangled with classes. */
const SOURCES: Record<string, string[]> = {
  COVID: ['ieee8023', 'ieee8023', 'cxnet'],
  NORMAL: ['nih14', 'kermany'],
  PNEUMONIA: ['kermany'],
};

/** `n` items cycling through the classes, two images per patient, softmax of noisy logits; 8 from a tiny source. */
export function threeClassItems(n = 180, seed = 7): ReportItem[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i): ReportItem => {
    const y = i % 3;
    const label = THREE_CLASSES[y];
    const logits = THREE_CLASSES.map((_, c) => random() * 2 + (c === y ? 0.3 + random() * 1.6 : 0));
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    const sources = SOURCES[label];
    return {
      id: `${label}/img${i}.png`,
      label,
      probs: exps.map((e) => e / sum),
      group: `p${Math.floor(i / 6)}-${y}`,
      source: i < 8 ? 'tiny' : sources[Math.floor(i / 3) % sources.length],
    };
  });
}
