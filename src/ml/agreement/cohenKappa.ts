// Cohen's kappa of two readers (Cohen 1960), unweighted: (p_o - p_e) / (1 - p_e), where p_o is the share of units the
// two agree on and p_e = sum over categories of the product of the two readers' shares of that category.

/**
 * Kappa of paired codes (0 .. categories-1) with a weight per unit (how often a bootstrap resample drew it; default 1).
 * NaN when undefined: no units, or p_e = 1 (both readers gave every unit the same one category).
 */
export function cohenKappa(first: ArrayLike<number>, second: ArrayLike<number>, categories: number, weights?: ArrayLike<number>): number {
  const shareA = new Float64Array(categories);
  const shareB = new Float64Array(categories);
  let total = 0;
  let agree = 0;
  for (let i = 0; i < first.length; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    total += w;
    shareA[first[i]] += w;
    shareB[second[i]] += w;
    if (first[i] === second[i]) agree += w;
  }
  if (total === 0) return NaN;
  let expected = 0;
  for (let c = 0; c < categories; c++) expected += (shareA[c] / total) * (shareB[c] / total);
  if (expected >= 1 - 1e-12) return NaN;
  return (agree / total - expected) / (1 - expected);
}

/** Counts of a reader-vs-reader table: rows are the first reader's categories, columns the second's. */
export function confusionCounts(first: ArrayLike<number>, second: ArrayLike<number>, categories: number): number[][] {
  const counts = Array.from({ length: categories }, () => new Array<number>(categories).fill(0));
  for (let i = 0; i < first.length; i++) counts[first[i]][second[i]]++;
  return counts;
}
