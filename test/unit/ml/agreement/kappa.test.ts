// Published and hand-computed values; every expected number is worked out in the comments, never taken from the code.
import * as assert from 'node:assert/strict';
import { alphaOf, fleissOf, NO_MULTIPLY_READ_ITEM, NO_PAIRED_ITEM, ONE_CATEGORY, pairKappas, ratingTable } from '../../../../src/ml/agreement';
import { DIAGNOSES, DIAGNOSES_GRID, unitsFromContingency, unitsFromCounts, unitsFromGrid } from './fixtures';

const close = (actual: number | null, expected: number, digits = 4): void => {
  assert.notEqual(actual, null);
  assert.ok(Math.abs(actual! - expected) < 10 ** -digits, `${actual} is not ${expected} to ${digits} digits`);
};
const options = { iterations: 200 };

describe("Cohen's kappa", () => {
  it('reproduces the textbook 2×2 table: kappa 0.4', () => {
    // 50 items. Both yes 20, R1 yes / R2 no 5, R1 no / R2 yes 10, both no 15.
    // p_o = (20 + 15) / 50 = 0.70. R1 says yes 25/50 = 0.5, R2 says yes 30/50 = 0.6.
    // p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.50. kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40.
    const [pair] = pairKappas(ratingTable(unitsFromContingency([[20, 5], [10, 15]], ['yes', 'no'])), options);
    assert.equal(pair.n, 50);
    close(pair.kappa.estimate, 0.4, 12);
  });

  it("reproduces irr's kappa2(diagnoses[, 1:2]) = 0.651 (Fleiss 1971, raters 1 and 2)", () => {
    // Agree on 22 of 30 patients: p_o = 22/30 = 0.73333. Rater 1 uses diagnoses 1..5 13, 10, 2, 1, 4 times;
    // rater 2: 7, 9, 5, 5, 4. p_e = (13*7 + 10*9 + 2*5 + 1*5 + 4*4) / 900 = 212/900 = 0.23556.
    // kappa = (0.73333 - 0.23556) / (1 - 0.23556) = 0.49778 / 0.76444 = 0.65116.
    const table = ratingTable(unitsFromGrid(DIAGNOSES_GRID.slice(0, 2)));
    close(pairKappas(table, options)[0].kappa.estimate, 0.651163);
  });

  it('reproduces the SAS example of statsmodels (3×3 table): kappa 0.4842', () => {
    // Rows R1, columns R2: [0 4 1; 0 8 0; 0 1 5], n = 19. p_o = (0 + 8 + 5) / 19 = 13/19 = 0.68421.
    // R1 margins 5, 8, 6; R2 margins 0, 13, 6. p_e = (5*0 + 8*13 + 6*6) / 361 = 140/361 = 0.38781.
    // kappa = (0.68421 - 0.38781) / (1 - 0.38781) = 0.29640 / 0.61219 = 0.48416.
    const table = ratingTable(unitsFromContingency([[0, 4, 1], [0, 8, 0], [0, 1, 5]], ['a', 'b', 'c']), ['a', 'b', 'c']);
    close(pairKappas(table, options)[0].kappa.estimate, 0.484163);
  });

  it('only counts the items both readers read', () => {
    // R1: a a b b a ·   R2: a b b b · b   → paired units 1..4: agree on 1, 3, 4: p_o = 3/4.
    // R1 on them: a 2, b 2; R2: a 1, b 3. p_e = (2*1 + 2*3) / 16 = 0.5. kappa = (0.75 - 0.5) / 0.5 = 0.5.
    const table = ratingTable(unitsFromGrid([['a', 'a', 'b', 'b', 'a', null], ['a', 'b', 'b', 'b', null, 'b']]));
    const [pair] = pairKappas(table, options);
    assert.equal(pair.n, 4);
    close(pair.kappa.estimate, 0.5, 12);
  });

  it('degenerate cases: complete agreement is 1, a reader with one label is 0, one class only is null with the reason', () => {
    // Complete agreement over two classes: p_o = 1, p_e = 0.5 → (1 - 0.5) / (1 - 0.5) = 1.
    const complete = pairKappas(ratingTable(unitsFromGrid([['a', 'b', 'a', 'b'], ['a', 'b', 'a', 'b']])), options)[0].kappa;
    assert.deepEqual([complete.estimate, complete.reason], [1, undefined]);
    // R1 always a; R2 a, a, b, b: p_o = 2/4 = 0.5, p_e = 1 * 0.5 + 0 * 0.5 = 0.5 → kappa = 0 exactly.
    assert.equal(pairKappas(ratingTable(unitsFromGrid([['a', 'a', 'a', 'a'], ['a', 'a', 'b', 'b']])), options)[0].kappa.estimate, 0);
    // Both always a: p_o = 1 and p_e = 1 → 0/0: undefined, not NaN.
    const single = pairKappas(ratingTable(unitsFromGrid([['a', 'a', 'a'], ['a', 'a', 'a']])), options)[0].kappa;
    assert.deepEqual(single, { estimate: null, low: null, high: null, replicates: 0, reason: ONE_CATEGORY });
    // Never the same item: the pair is not listed; Fleiss and alpha have no unit with two readings.
    const disjoint = ratingTable(unitsFromGrid([['a', 'b', null, null], [null, null, 'a', 'b']]));
    assert.deepEqual(pairKappas(disjoint, options), []);
    assert.equal(fleissOf(disjoint, options).reason, NO_MULTIPLY_READ_ITEM);
    assert.equal(alphaOf(disjoint, options).reason, NO_MULTIPLY_READ_ITEM);
    assert.equal(NO_PAIRED_ITEM, 'no item read by both');
  });
});

describe("Fleiss' kappa", () => {
  it('reproduces Fleiss (1971), Table 1 (irr diagnoses): 0.4302', () => {
    // 30 patients × 6 raters. Per patient sum_c n_c^2 - 6 (agreeing ordered pairs): 30, 12, 12, 30, 12, 14, 14, 8, 14,
    // 30, 20, 12, 12, 20, 8, 20, 8, 20, 14, 8, 30, 20, 8, 14, 12, 20, 14, 14, 20, 30; their sum is 500.
    // P̄ = 500 / (30 * 6 * 5) = 0.55556. Category totals 26, 26, 30, 55, 43 of 180 readings:
    // P_e = (26² + 26² + 30² + 55² + 43²) / 180² = 7126 / 32400 = 0.21994.
    // kappa = (0.55556 - 0.21994) / (1 - 0.21994) = 0.33562 / 0.78006 = 0.43024 (irr: 0.4302445).
    close(fleissOf(ratingTable(unitsFromGrid(DIAGNOSES_GRID)), options).estimate, 0.4302445, 6);
  });

  it('reproduces the 10 × 14 raters example (Wikipedia, statsmodels): 0.210', () => {
    // Per row sum_c n_c^2 - 14: 182, 46, 56, 80, 60, 84, 44, 32, 52, 52 (sum 688), each over 14 * 13 = 182 pairs,
    // so P̄ = 688 / 1820 = 0.37802. Column totals 20, 28, 39, 21, 32 of 140: P_e = 4170 / 19600 = 0.21276.
    // kappa = (0.37802 - 0.21276) / (1 - 0.21276) = 0.16527 / 0.78724 = 0.20993 (published, rounded: 0.210).
    const rows = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]];
    const kappa = fleissOf(ratingTable(unitsFromCounts(rows, ['1', '2', '3', '4', '5'])), options).estimate;
    close(kappa, (688 / 1820 - 4170 / 19600) / (1 - 4170 / 19600), 12);
    assert.equal(kappa!.toFixed(3), '0.210');
  });

  it('takes a varying number of readers per item and leaves out items read once', () => {
    // Units (a/b counts): u1 a,a,a (3 readers) P = (9 - 3) / 6 = 1; u2 a,b (2) P = (1 + 1 - 2) / 2 = 0;
    // u3 b,b (2) P = (4 - 2) / 2 = 1; u4 a (1 reader) left out. P̄ = 2/3.
    // Readings of u1..u3: a 4, b 3 of 7: P_e = (16 + 9) / 49 = 25/49. kappa = (2/3 - 25/49) / (1 - 25/49)
    // = (98 - 75) / 147 / (24/49) = (23/147) * (49/24) = 23/72 = 0.319444.
    const table = ratingTable(unitsFromGrid([['a', 'a', 'b', 'a'], ['a', 'b', 'b', null], ['a', null, null, null]]));
    close(fleissOf(table, options).estimate, 23 / 72, 12);
  });
});

describe("Krippendorff's alpha", () => {
  it("reproduces Krippendorff (2011)'s nominal example with missing data: 0.743", () => {
    // 4 observers, 12 units, values 1..5 (· missing); unit 12 has one value and is not pairable.
    // Coincidences: o11 = 3 (u1) + 2 (u8) + 2 (u11) = 7; o22 = 2 (u2) + 4 (u5) + 4 (u9) = 10; o33 = 4 + 4 = 8;
    // o44 = 4; o55 = 3; u6 (1,2,3,4) adds 1/3 to each of its 12 off-diagonal cells, u2 adds 1 to o23 and o32,
    // u8 1 to o12 and o21. n_c = 9, 13, 10, 5, 3; n = 40; sum o_cc = 32.
    // alpha = 1 - (n - 1)(n - sum o_cc) / (n² - sum n_c²) = 1 - 39 * 8 / (1600 - 384) = 1 - 312/1216 = 0.74342.
    const grid = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
      [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];
    close(alphaOf(ratingTable(unitsFromGrid(grid)), options).estimate, 1 - 312 / 1216, 12);
  });

  it('is 1 on complete agreement and null with the reason on one category', () => {
    assert.equal(alphaOf(ratingTable(unitsFromGrid([['a', 'b', 'c'], ['a', 'b', 'c'], ['a', null, 'c']])), options).estimate, 1);
    const single = alphaOf(ratingTable(unitsFromGrid([['a', 'a'], ['a', 'a']])), options);
    assert.deepEqual([single.estimate, single.reason], [null, ONE_CATEGORY]);
  });

  it("is Fleiss' kappa corrected by (n - 1) / n on complete data (Fleiss 1971 diagnoses): 0.4334", () => {
    // n = 180 readings, sum o_cc = 500 / 5 = 100: alpha = 1 - 179 * 80 / (180² - 7126) = 1 - 14320 / 25274 = 0.43341,
    // the same as 1 - (179/180) * (1 - P̄) / (1 - P_e) = 1 - 0.99444 * 0.44444 / 0.78006 with Fleiss' P̄ and P_e.
    close(alphaOf(ratingTable(unitsFromGrid(DIAGNOSES_GRID)), options).estimate, 1 - (179 / 180) * (1 - 500 / 900) / (1 - 7126 / 32400), 10);
    assert.equal(DIAGNOSES.length, 30);
  });
});
