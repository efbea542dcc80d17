/**
 * Reproducible, stratified, patient-grouped splits and k-fold cross-validation.
 *
 * Items that share a group (a `patient_id`) always land on the same side, so a patient's images never leak
 * between training and evaluation. Items without a group (`null`, `undefined` or `''`) are their own group.
 * Every function takes a seed and gives the same answer for the same input and seed.
 */

/** Item group as read from a manifest: a patient id, or nothing when unknown. */
export type GroupId = string | null | undefined;

/**
 * mulberry32 (Tommy Ettinger's public-domain 32-bit generator, as popularised by bryc/code PRNGs):
 * one 32-bit state word, period 2^32, returns floats in [0, 1). Enough for shuffling and resampling a few
 * thousand items; not cryptographic. `seed` must be an integer; it is taken modulo 2^32.
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A new array with the items in a seeded Fisher-Yates order. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = out[i];
    out[i] = out[j];
    out[j] = swap;
  }
  return out;
}

/** Fractions of the items per side; they must sum to 1. `test` defaults to 0 (no test side). */
export interface SplitFractions {
  train: number;
  validation: number;
  test?: number;
}

/** Item indices per side, each list ascending. */
export interface Split {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Splits items into train / validation / test so that no group is on two sides and each side's class
 * proportions are close to the whole set's. A side with a positive fraction is never left empty (RangeError
 * when there are too few groups to fill it).
 */
export function stratifiedGroupSplit(
  labels: readonly number[],
  groups: readonly GroupId[],
  fractions: SplitFractions,
  seed: number,
): Split {
  const names = ['train', 'validation', 'test'] as const;
  const values = [fractions.train, fractions.validation, fractions.test ?? 0];
  values.forEach((value, side) => {
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new RangeError(`fraction ${names[side]} must be in [0, 1], got ${value}`);
    }
  });
  const sum = values[0] + values[1] + values[2];
  if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`fractions must sum to 1, got ${sum}`);
  const sides = sidesOf(assignGroups(labels, groups, values, seed), values.length);
  sides.forEach((side, index) => {
    if (values[index] > 0 && side.length === 0) {
      throw new RangeError(`the ${names[index]} side is empty: too few groups for the fractions asked`);
    }
  });
  return { train: sides[0], validation: sides[1], test: sides[2] };
}

/**
 * Stratified group k-fold: returns `k` lists of held-out item indices (ascending) that partition the items.
 * No group is split between folds, and each fold's class proportions are close to the whole set's.
 * The training indices of fold f are all items not in `folds[f]`.
 */
export function stratifiedGroupKFold(
  labels: readonly number[],
  groups: readonly GroupId[],
  k: number,
  seed: number,
): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2, got ${k}`);
  const folds = sidesOf(assignGroups(labels, groups, new Array<number>(k).fill(1 / k), seed), k);
  const empty = folds.findIndex((fold) => fold.length === 0);
  if (empty >= 0) throw new RangeError(`fold ${empty} is empty: fewer groups than k = ${k}`);
  return folds;
}

/**
 * Trains on `train` and returns class probabilities for the `test` items, one row per test index, in order.
 * The callback owns its model (and disposes of it), which keeps this module free of tfjs.
 */
export type FoldFitPredict = (
  train: readonly number[],
  test: readonly number[],
  fold: number,
) => Promise<readonly (readonly number[])[]>;

export interface OutOfFoldResult {
  /** Row i: the probabilities for item i from the model that did not see it. */
  probabilities: number[][];
  /** Fold in which item i was held out. */
  foldOf: number[];
}

/**
 * Out-of-fold predictions: for each fold (one after the other, so only one model is alive at a time) trains
 * on the other folds and predicts the held-out one. `folds` must partition 0..n-1, e.g. from
 * {@link stratifiedGroupKFold}. The result feeds `evaluate` and label-issue detection.
 */
export async function outOfFold(
  folds: readonly (readonly number[])[],
  n: number,
  fitPredict: FoldFitPredict,
): Promise<OutOfFoldResult> {
  const foldOf = new Array<number>(n).fill(-1);
  folds.forEach((fold, f) => {
    for (const i of fold) {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`fold ${f} holds index ${i} outside 0..${n - 1}`);
      if (foldOf[i] !== -1) throw new RangeError(`index ${i} is in folds ${foldOf[i]} and ${f}`);
      foldOf[i] = f;
    }
  });
  const missing = foldOf.indexOf(-1);
  if (missing >= 0) throw new RangeError(`index ${missing} is in no fold`);

  const probabilities = new Array<number[]>(n);
  let width = -1;
  for (let f = 0; f < folds.length; f++) {
    const test = folds[f];
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (foldOf[i] !== f) train.push(i);
    const rows = await fitPredict(train, test, f);
    if (rows.length !== test.length) {
      throw new RangeError(`fold ${f}: expected ${test.length} prediction rows, got ${rows.length}`);
    }
    rows.forEach((row, r) => {
      if (width === -1) width = row.length;
      if (row.length !== width) throw new RangeError(`fold ${f}: row ${r} has ${row.length} values, expected ${width}`);
      probabilities[test[r]] = Array.from(row);
    });
  }
  return { probabilities, foldOf };
}

/**
 * Side (0..fractions.length-1) of each item. Groups are placed largest first (equal sizes in seeded random
 * order), each on the side where it most reduces the squared gap between per-class counts and their targets
 * (fraction × class total, relative to the class total so that rare classes count as much as common ones).
 */
function assignGroups(
  labels: readonly number[],
  groups: readonly GroupId[],
  fractions: readonly number[],
  seed: number,
): Int32Array {
  if (groups.length !== labels.length) {
    throw new RangeError(`groups has ${groups.length} entries but labels has ${labels.length}`);
  }
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0) throw new RangeError(`label ${i} must be a class index >= 0, got ${label}`);
  });
  const numClasses = labels.reduce((max, label) => Math.max(max, label + 1), 0);
  const members = groupMembers(groups);
  const classTotals = new Array<number>(numClasses).fill(0);
  for (const label of labels) classTotals[label]++;

  const groupCounts = members.map((items) => {
    const counts = new Array<number>(numClasses).fill(0);
    for (const i of items) counts[labels[i]]++;
    return counts;
  });
  // Array.prototype.sort is stable, so equal-size groups keep the seeded shuffle order.
  const order = shuffled(members.map((_, g) => g), seededRandom(seed)).sort(
    (a, b) => members[b].length - members[a].length,
  );

  const counts = fractions.map(() => new Array<number>(numClasses).fill(0));
  const filled = fractions.map(() => 0);
  const sideOfItem = new Int32Array(labels.length);
  for (const g of order) {
    let best = -1;
    let bestDelta = Infinity;
    let bestRoom = -Infinity;
    fractions.forEach((fraction, side) => {
      if (fraction === 0) return;
      // Change of sum_c ((count + g_c - target) / total_c)^2 when the group joins this side.
      let delta = 0;
      groupCounts[g].forEach((gc, c) => {
        if (gc === 0) return;
        delta += (gc * (gc + 2 * (counts[side][c] - fraction * classTotals[c]))) / (classTotals[c] * classTotals[c]);
      });
      const room = fraction * labels.length - filled[side];
      if (delta < bestDelta - 1e-12 || (Math.abs(delta - bestDelta) <= 1e-12 && room > bestRoom)) {
        best = side;
        bestDelta = delta;
        bestRoom = room;
      }
    });
    groupCounts[g].forEach((gc, c) => (counts[best][c] += gc));
    filled[best] += members[g].length;
    for (const i of members[g]) sideOfItem[i] = best;
  }
  return sideOfItem;
}

/** Item indices of each group, in order of first appearance; items without a group form groups of one. */
export function groupMembers(groups: readonly GroupId[]): number[][] {
  const byId = new Map<string, number[]>();
  const members: number[][] = [];
  groups.forEach((id, i) => {
    if (id === null || id === undefined || id === '') {
      members.push([i]);
      return;
    }
    const existing = byId.get(id);
    if (existing) existing.push(i);
    else {
      const created = [i];
      byId.set(id, created);
      members.push(created);
    }
  });
  return members;
}

function sidesOf(sideOfItem: Int32Array, count: number): number[][] {
  const sides: number[][] = Array.from({ length: count }, () => []);
  sideOfItem.forEach((side, i) => sides[side].push(i));
  return sides;
}

/**
 * Group ids holding more than half a fold's share of the items (and more than 20) cannot be single patients
 * (e.g. a file-name prefix parsed as a patient id): they are dropped, each of their items standing alone, so one
 * bogus group cannot put a whole class on one side of a split.
 */
export function withoutOversizedGroups(groups: readonly GroupId[], folds: number): { groups: GroupId[]; dropped: Map<string, number> } {
  const counts = new Map<string, number>();
  for (const g of groups) if (g) counts.set(g, (counts.get(g) ?? 0) + 1);
  const limit = Math.max(20, groups.length / (2 * folds));
  const dropped = new Map([...counts].filter(([, c]) => c > limit));
  return { groups: groups.map((g) => (g && dropped.has(g) ? null : g)), dropped };
}
