// Fleiss' kappa (Fleiss 1971) over any number of readers, generalised to a varying number of readers per unit:
//   P_u  = (sum_c n_uc^2 - n_u) / (n_u (n_u - 1))      agreement among the n_u readers of unit u (pairs that agree)
//   P̄    = mean of P_u over the units,                 p_c = sum_u n_uc / sum_u n_u,   P_e = sum_c p_c^2
//   kappa = (P̄ - P_e) / (1 - P_e)
// Only units with at least two readings count (a single reading has no pair). With the same number of readers on
// every unit this is exactly Fleiss' 1971 statistic; with varying numbers, each unit weighs the same in P̄ whatever
// its number of readers, and p_c weighs readings (the usual generalisation, e.g. Fleiss, Levin & Paik 2003, 18.1).

/** Whether a unit with this many readings enters Fleiss' kappa. */
export function fleissUnit(readings: number): boolean {
  return readings >= 2;
}

/**
 * Fleiss' kappa from per-unit category counts (`counts[u * categories + c]`) and readings per unit, with a weight per
 * unit (bootstrap multiplicity; default 1). NaN when undefined: no unit with two readings, or P_e = 1 (one category).
 */
export function fleissKappa(counts: ArrayLike<number>, perUnit: ArrayLike<number>, categories: number, weights?: ArrayLike<number>): number {
  const share = new Float64Array(categories);
  let units = 0;
  let readings = 0;
  let agreement = 0;
  for (let u = 0; u < perUnit.length; u++) {
    const w = weights ? weights[u] : 1;
    const n = perUnit[u];
    if (w === 0 || !fleissUnit(n)) continue;
    let squares = 0;
    for (let c = 0; c < categories; c++) {
      const count = counts[u * categories + c];
      squares += count * count;
      share[c] += w * count;
    }
    agreement += (w * (squares - n)) / (n * (n - 1));
    units += w;
    readings += w * n;
  }
  if (units === 0) return NaN;
  let expected = 0;
  for (let c = 0; c < categories; c++) expected += (share[c] / readings) ** 2;
  if (expected >= 1 - 1e-12) return NaN;
  return (agreement / units - expected) / (1 - expected);
}
