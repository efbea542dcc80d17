/**
 * Multinomial logistic regression (softmax, L2) on standardised features, fitted by L-BFGS in plain
 * TypeScript: the audit's fast out-of-fold classifier on cached embeddings and on metadata, with no tfjs.
 */
import { outOfFold, stratifiedGroupKFold, type GroupId } from '../splits';
import { dot as dotAt } from '../dense';
import { checkMatrix, type FeatureMatrix } from './matrix';

export interface SoftmaxOptions {
  /** L2 penalty on the weights (not the biases), per item of the mean loss. Default `1e-2`. */
  l2?: number;
  /** L-BFGS iterations at most. Default `100`. */
  iterations?: number;
  /**
   * Per-item weights of the training loss (e.g. class or source balancing), indexed like the matrix rows.
   * Default: every item weighs 1.
   */
  sampleWeights?: readonly number[];
}

export interface SoftmaxModel {
  numClasses: number;
  /** Standardisation fitted on the training rows. */
  mean: Float64Array;
  scale: Float64Array;
  /** `numClasses × (cols + 1)`, class-major; the last value of each class is its bias. */
  weights: Float64Array;
}

const DEFAULT_L2 = 1e-2;
const DEFAULT_ITERATIONS = 100;
const HISTORY = 8;

/** Fits on the given rows of `x`; `labels` is indexed like the matrix rows (only `rows` are read). */
export function fitSoftmax(
  x: FeatureMatrix,
  rows: readonly number[],
  labels: readonly number[],
  numClasses: number,
  options: SoftmaxOptions = {},
): SoftmaxModel {
  checkMatrix('features', x);
  if (labels.length !== x.rows) throw new RangeError(`labels has ${labels.length} entries, features has ${x.rows} rows`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new RangeError(`numClasses must be an integer >= 2, got ${numClasses}`);
  if (rows.length === 0) throw new RangeError('no training rows');
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= x.rows) throw new RangeError(`row ${r} outside 0..${x.rows - 1}`);
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) throw new RangeError(`label of row ${r} must be in 0..${numClasses - 1}, got ${label}`);
  }
  const l2 = options.l2 ?? DEFAULT_L2;
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!(l2 >= 0)) throw new RangeError(`l2 must be >= 0, got ${l2}`);
  const weightsIn = options.sampleWeights;
  if (weightsIn && weightsIn.length !== x.rows) throw new RangeError(`sampleWeights has ${weightsIn.length} entries, features has ${x.rows} rows`);

  const d = x.cols;
  const k = numClasses;
  const { mean, scale } = standardisation(x, rows);
  const n = rows.length;
  const z = new Float64Array(n * d);
  rows.forEach((r, i) => {
    for (let c = 0; c < d; c++) z[i * d + c] = (x.data[r * d + c] - mean[c]) * scale[c];
  });
  const y = Int32Array.from(rows, (r) => labels[r]);
  const w = Float64Array.from(rows, (r) => weightsIn?.[r] ?? 1);
  const totalWeight = w.reduce((a, b) => a + b, 0);
  if (!(totalWeight > 0)) throw new RangeError('sample weights of the training rows sum to 0');
  for (let i = 0; i < n; i++) w[i] /= totalWeight;

  // Weights are class-major, `d + 1` per class (bias last), so every inner loop runs over contiguous memory.
  const stride = d + 1;
  const logits = new Float64Array(k);
  const objective = (theta: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const zo = i * d;
      for (let j = 0; j < k; j++) logits[j] = theta[j * stride + d] + dotAt(z, zo, theta, j * stride, d);
      const logSum = logSumExp(logits);
      loss -= w[i] * (logits[y[i]] - logSum);
      for (let j = 0; j < k; j++) {
        const g = w[i] * (Math.exp(logits[j] - logSum) - (j === y[i] ? 1 : 0));
        const go = j * stride;
        for (let c = 0; c < d; c++) gradient[go + c] += g * z[zo + c];
        gradient[go + d] += g;
      }
    }
    for (let j = 0; j < k; j++) {
      for (let c = 0; c < d; c++) {
        const t = j * stride + c;
        loss += 0.5 * l2 * theta[t] * theta[t];
        gradient[t] += l2 * theta[t];
      }
    }
    return loss;
  };
  const weights = minimiseLbfgs(objective, new Float64Array(stride * k), iterations);
  return { numClasses: k, mean, scale, weights };
}

/** Class probabilities for the given rows of `x`, one row per entry of `rows`. */
export function predictSoftmax(model: SoftmaxModel, x: FeatureMatrix, rows: readonly number[]): number[][] {
  const d = x.cols;
  const k = model.numClasses;
  if (model.mean.length !== d) throw new RangeError(`model expects ${model.mean.length} features, got ${d}`);
  const stride = d + 1;
  const z = new Float64Array(d);
  const logits = new Float64Array(k);
  return rows.map((r) => {
    for (let c = 0; c < d; c++) z[c] = (x.data[r * d + c] - model.mean[c]) * model.scale[c];
    for (let j = 0; j < k; j++) logits[j] = model.weights[j * stride + d] + dotAt(z, 0, model.weights, j * stride, d);
    const logSum = logSumExp(logits);
    return Array.from(logits, (value) => Math.exp(value - logSum));
  });
}

export interface CrossValidationOptions extends SoftmaxOptions {
  /** Folds. Default `5`. */
  folds?: number;
  seed?: number;
  /** Items of one group stay in one fold (patients, duplicate clusters). Default: every item its own group. */
  groups?: readonly GroupId[];
}

/**
 * Out-of-fold class probabilities: stratified (group) k-fold, a softmax model per fold. Row i comes from
 * the model that did not see item i: the input of confident learning and of honest per-source metrics.
 */
export async function crossValidatedProbabilities(
  x: FeatureMatrix,
  labels: readonly number[],
  numClasses: number,
  options: CrossValidationOptions = {},
): Promise<number[][]> {
  const groups = options.groups ?? new Array<GroupId>(labels.length).fill(null);
  const folds = stratifiedGroupKFold(labels, groups, options.folds ?? 5, options.seed ?? 0);
  const { probabilities } = await outOfFold(folds, labels.length, (train, test) =>
    Promise.resolve(predictSoftmax(fitSoftmax(x, train, labels, numClasses, options), x, test)),
  );
  return probabilities;
}

/** Mean and 1/std per column over the rows; a constant column gets scale 0 (it carries nothing). */
function standardisation(x: FeatureMatrix, rows: readonly number[]): { mean: Float64Array; scale: Float64Array } {
  const d = x.cols;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const r of rows) for (let c = 0; c < d; c++) mean[c] += x.data[r * d + c];
  for (let c = 0; c < d; c++) mean[c] /= rows.length;
  for (const r of rows) {
    for (let c = 0; c < d; c++) {
      const delta = x.data[r * d + c] - mean[c];
      scale[c] += delta * delta;
    }
  }
  for (let c = 0; c < d; c++) {
    const std = Math.sqrt(scale[c] / rows.length);
    scale[c] = std > 1e-9 ? 1 / std : 0;
  }
  return { mean, scale };
}

function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4) with a backtracking Armijo line search. */
function minimiseLbfgs(f: (theta: Float64Array, gradient: Float64Array) => number, start: Float64Array, iterations: number): Float64Array {
  const size = start.length;
  let theta = start;
  let gradient = new Float64Array(size);
  let value = f(theta, gradient);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const alpha = new Float64Array(HISTORY);
  const direction = new Float64Array(size);
  const nextTheta = new Float64Array(size);
  let nextGradient = new Float64Array(size);
  for (let iteration = 0; iteration < iterations; iteration++) {
    direction.set(gradient);
    for (let m = sList.length - 1; m >= 0; m--) {
      alpha[m] = rhoList[m] * dot(sList[m], direction);
      axpy(-alpha[m], yList[m], direction);
    }
    const last = sList.length - 1;
    const gamma = last >= 0 ? dot(sList[last], yList[last]) / dot(yList[last], yList[last]) : 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
    for (let t = 0; t < size; t++) direction[t] *= gamma;
    for (let m = 0; m < sList.length; m++) axpy(alpha[m] - rhoList[m] * dot(yList[m], direction), sList[m], direction);
    for (let t = 0; t < size; t++) direction[t] = -direction[t];

    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      sList.length = yList.length = rhoList.length = 0;
      for (let t = 0; t < size; t++) direction[t] = -gradient[t];
      slope = -dot(gradient, gradient);
    }
    let step = 1;
    let nextValue = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let t = 0; t < size; t++) nextTheta[t] = theta[t] + step * direction[t];
      nextValue = f(nextTheta, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextValue < value)) break;
    const s = new Float64Array(size);
    const yv = new Float64Array(size);
    for (let t = 0; t < size; t++) {
      s[t] = nextTheta[t] - theta[t];
      yv[t] = nextGradient[t] - gradient[t];
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      if (sList.length === HISTORY) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
      sList.push(s);
      yList.push(yv);
      rhoList.push(1 / sy);
    }
    const converged = value - nextValue < 1e-7 * Math.max(1, Math.abs(value));
    theta = Float64Array.from(nextTheta);
    [gradient, nextGradient] = [nextGradient, gradient];
    value = nextValue;
    if (converged) break;
  }
  return theta;
}

function dot(a: Float64Array, b: Float64Array): number {
  return dotAt(a, 0, b, 0, a.length);
}

function axpy(scale: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += scale * x[i];
}
