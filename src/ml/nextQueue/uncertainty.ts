/** How unsure a model is of one item, from its class probabilities: higher is less sure, in [0, 1]. */

export type UncertaintyMeasure = 'entropy' | 'margin';

/** `entropy`: Shannon entropy over ln(classes) (0 certain, 1 uniform); `margin`: 1 − (highest − second highest). */
export function uncertainty(probs: readonly number[], measure: UncertaintyMeasure = 'entropy'): number {
  if (probs.length < 2) throw new RangeError(`uncertainty needs at least two class probabilities, got ${probs.length}`);
  if (measure === 'margin') {
    let [first, second] = [-Infinity, -Infinity];
    for (const p of probs) {
      if (p > first) [first, second] = [p, first];
      else if (p > second) second = p;
    }
    return 1 - (first - second);
  }
  let entropy = 0;
  for (const p of probs) if (p > 0) entropy -= p * Math.log(p);
  return entropy / Math.log(probs.length);
}

/**
 * A multi-label item's uncertainty: the mean over its findings of each finding's own (positive against negative)
 * uncertainty, so an item unsure of several findings comes before one unsure of a single finding.
 */
export function findingsUncertainty(probs: readonly number[], measure: UncertaintyMeasure = 'entropy'): number {
  if (probs.length === 0) throw new RangeError('findings uncertainty needs at least one finding probability');
  let sum = 0;
  for (const p of probs) sum += uncertainty([p, 1 - p], measure);
  return sum / probs.length;
}
