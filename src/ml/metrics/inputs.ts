/** Input checks shared by the metric functions: bad input throws a RangeError naming the problem. */

/** Per-item non-negative weights, e.g. how many times a bootstrap resample drew each item. */
export type Weights = ArrayLike<number>;

export function checkSameLength(what: string, length: number, expected: number): void {
  if (length !== expected) throw new RangeError(`${what} has ${length} entries, expected ${expected}`);
}

export function checkNumClasses(numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`number of classes must be an integer >= 1, got ${numClasses}`);
  }
}

export function checkClassIndices(what: string, values: readonly number[], numClasses: number): void {
  values.forEach((value, i) => {
    if (!Number.isInteger(value) || value < 0 || value >= numClasses) {
      throw new RangeError(`${what}[${i}] must be a class index in 0..${numClasses - 1}, got ${value}`);
    }
  });
}

export function checkFiniteScores(scores: readonly number[]): void {
  scores.forEach((score, i) => {
    if (!Number.isFinite(score)) throw new RangeError(`scores[${i}] must be a finite number, got ${score}`);
  });
}

export function checkWeights(weights: Weights | undefined, n: number): void {
  if (weights === undefined) return;
  checkSameLength('weights', weights.length, n);
  for (let i = 0; i < n; i++) {
    const weight = weights[i];
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weights[${i}] must be finite and >= 0, got ${weight}`);
  }
}

/** num / den, or NaN when den is 0: the metric is undefined (e.g. sensitivity of a class with no examples). */
export function ratio(num: number, den: number): number {
  return den === 0 ? NaN : num / den;
}

/** Mean of the defined (non-NaN) values; NaN when none is defined. */
export function meanOfDefined(values: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (!Number.isNaN(value)) {
      sum += value;
      count++;
    }
  }
  return ratio(sum, count);
}
