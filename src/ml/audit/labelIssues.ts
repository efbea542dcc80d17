/**
 * Label issues by confident learning (Northcutt, Jiang & Chuang, "Confident Learning: Estimating Uncertainty
 * in Dataset Labels", JAIR 2021), the way cleanlab's `find_label_issues(filter_by='prune_by_noise_rate')`
 * does it, on out-of-fold predicted probabilities.
 */

export interface LabelIssue {
  /** Row of the item in the inputs. */
  index: number;
  givenLabel: number;
  /** The most probable class other than the given one. */
  suggestedLabel: number;
  /** Predicted probability of the given label (low = suspicious). */
  selfConfidence: number;
  /** `p[suggested] - p[given]`, in [-1, 1]: how strongly the model prefers the suggestion. */
  margin: number;
}

export interface ConfidentLearningResult {
  /** Per class j: t_j, the mean predicted probability of j over the items labelled j. */
  thresholds: number[];
  /** C[i][j]: items labelled i whose confident true-class guess is j. */
  confidentJoint: number[][];
  /** Q[i][j]: estimated joint P(given = i, true = j), rows calibrated to the label counts; sums to 1. */
  joint: number[][];
  /** P(given = i | true = j): columns sum to 1 (NaN-free: a column with no mass is the identity column). */
  noiseMatrix: number[][];
  /** Items whose given label is likely wrong, lowest self-confidence first. */
  issues: LabelIssue[];
  /** Per item: 1 - self-confidence, the issue score the gallery sorts and filters by. */
  scores: number[];
}

/**
 * Finds likely label errors. `probabilities[i]` must come from a model that did not train on item i
 * (out-of-fold), one row per item summing to 1; `labels[i]` is its given class index.
 */
export function findLabelIssues(probabilities: readonly (readonly number[])[], labels: readonly number[]): ConfidentLearningResult {
  const k = checkInputs(probabilities, labels);
  const n = labels.length;
  const labelCounts = new Array<number>(k).fill(0);
  for (const label of labels) labelCounts[label]++;

  const thresholds = new Array<number>(k).fill(0);
  labels.forEach((label, i) => (thresholds[label] += probabilities[i][label]));
  for (let j = 0; j < k; j++) thresholds[j] = labelCounts[j] > 0 ? thresholds[j] / labelCounts[j] : 1;

  const confidentJoint = square(k);
  labels.forEach((label, i) => {
    const guess = confidentGuess(probabilities[i], thresholds);
    if (guess >= 0) confidentJoint[label][guess]++;
  });

  const joint = calibratedJoint(confidentJoint, labelCounts, n);
  const noiseMatrix = columnNormalised(joint);

  // Prune by noise rate: among items labelled i, the round(n·Q[i][j]) with the largest p_j - p_i are issues,
  // keeping at least one item per given class.
  const isIssue = new Uint8Array(n);
  const byLabel: number[][] = Array.from({ length: k }, () => []);
  labels.forEach((label, i) => byLabel[label].push(i));
  for (let i = 0; i < k; i++) {
    let budget = Math.max(0, byLabel[i].length - 1);
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      const count = Math.min(budget, Math.round(n * joint[i][j]));
      if (count === 0) continue;
      const ranked = byLabel[i].slice().sort((a, b) => probabilities[b][j] - probabilities[b][i] - (probabilities[a][j] - probabilities[a][i]));
      for (const index of ranked.slice(0, count)) isIssue[index] = 1;
      budget -= count;
    }
  }

  const issues: LabelIssue[] = [];
  isIssue.forEach((flag, index) => {
    if (!flag) return;
    const row = probabilities[index];
    const givenLabel = labels[index];
    const suggestedLabel = bestOther(row, givenLabel);
    issues.push({ index, givenLabel, suggestedLabel, selfConfidence: row[givenLabel], margin: row[suggestedLabel] - row[givenLabel] });
  });
  issues.sort((a, b) => a.selfConfidence - b.selfConfidence || a.index - b.index);
  const scores = labels.map((label, i) => 1 - probabilities[i][label]);
  return { thresholds, confidentJoint, joint, noiseMatrix, issues, scores };
}

/** The class the item confidently belongs to: the most probable of those at or above their threshold, or -1. */
function confidentGuess(row: readonly number[], thresholds: readonly number[]): number {
  let best = -1;
  for (let j = 0; j < row.length; j++) {
    // The small slack keeps an item whose probability equals the threshold (cleanlab uses the same 1e-6).
    if (row[j] >= thresholds[j] - 1e-6 && (best < 0 || row[j] > row[best])) best = j;
  }
  return best;
}

/** Rows scaled to the given-label counts, then the whole matrix to sum 1 (cleanlab's calibration). */
function calibratedJoint(confidentJoint: readonly number[][], labelCounts: readonly number[], n: number): number[][] {
  const k = labelCounts.length;
  const joint = square(k);
  for (let i = 0; i < k; i++) {
    const rowSum = confidentJoint[i].reduce((a, b) => a + b, 0);
    for (let j = 0; j < k; j++) {
      // A class with no confident item keeps its count on the diagonal: no evidence of noise.
      joint[i][j] = rowSum > 0 ? (confidentJoint[i][j] / rowSum) * labelCounts[i] : i === j ? labelCounts[i] : 0;
    }
  }
  return joint.map((row) => row.map((value) => value / n));
}

function columnNormalised(joint: readonly number[][]): number[][] {
  const k = joint.length;
  const out = square(k);
  for (let j = 0; j < k; j++) {
    let column = 0;
    for (let i = 0; i < k; i++) column += joint[i][j];
    for (let i = 0; i < k; i++) out[i][j] = column > 0 ? joint[i][j] / column : i === j ? 1 : 0;
  }
  return out;
}

function bestOther(row: readonly number[], given: number): number {
  let best = given === 0 ? 1 : 0;
  for (let j = 0; j < row.length; j++) if (j !== given && row[j] > row[best]) best = j;
  return best;
}

function square(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

function checkInputs(probabilities: readonly (readonly number[])[], labels: readonly number[]): number {
  if (probabilities.length !== labels.length) {
    throw new RangeError(`probabilities has ${probabilities.length} rows but labels has ${labels.length}`);
  }
  if (labels.length === 0) throw new RangeError('no items');
  const k = probabilities[0].length;
  if (k < 2) throw new RangeError(`need at least 2 classes, got ${k}`);
  probabilities.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`row ${i} has ${row.length} probabilities, expected ${k}`);
    let sum = 0;
    for (const p of row) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`row ${i} holds ${p}, not a probability`);
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-3) throw new RangeError(`row ${i} sums to ${sum}, not 1`);
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= k) throw new RangeError(`label ${i} must be a class index in 0..${k - 1}, got ${label}`);
  });
  return k;
}
