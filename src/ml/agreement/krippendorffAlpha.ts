// Krippendorff's alpha for nominal data with missing readings (Krippendorff 2011, "Computing Krippendorff's
// Alpha-Reliability"): alpha = 1 - D_o / D_e from the coincidence matrix o_ck, to which every unit with m_u >= 2
// readings adds n_uc n_uk / (m_u - 1) for each ordered pair of its readings (c = k: n_uc (n_uc - 1) / (m_u - 1)).
// With n_c = sum_k o_ck and n = sum_c n_c (pairable readings), for nominal data:
//   alpha = 1 - (n - 1) (n - sum_c o_cc) / (n^2 - sum_c n_c^2)
// Units with a single reading are not pairable and drop out; readers need not read every unit.

/**
 * Alpha from per-unit category counts and readings per unit, with a weight per unit (bootstrap multiplicity;
 * default 1). NaN when undefined: fewer than two pairable readings, or every pairable reading is one category.
 */
export function krippendorffAlpha(counts: ArrayLike<number>, perUnit: ArrayLike<number>, categories: number, weights?: ArrayLike<number>): number {
  const marginal = new Float64Array(categories);
  let diagonal = 0;
  for (let u = 0; u < perUnit.length; u++) {
    const w = weights ? weights[u] : 1;
    const m = perUnit[u];
    if (w === 0 || m < 2) continue;
    for (let c = 0; c < categories; c++) {
      const count = counts[u * categories + c];
      marginal[c] += w * count;
      diagonal += (w * count * (count - 1)) / (m - 1);
    }
  }
  let n = 0;
  let squares = 0;
  for (const value of marginal) {
    n += value;
    squares += value * value;
  }
  const expected = n * n - squares;
  if (n < 2 || expected <= 1e-12 * n * n) return NaN;
  return 1 - ((n - 1) * (n - diagonal)) / expected;
}
