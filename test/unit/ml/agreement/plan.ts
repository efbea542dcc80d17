// The three-reader plan shared by the statistics tests and the command-line end-to-end test: 12 images, 4 per class,
// reader A agrees with the folders, B disagrees on images 4, 8 and 12, C on image 11 and does not read image 12.
export const PLAN_CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'] as const;
const [C, N, P] = PLAN_CLASSES;

export const PLAN: Record<'A' | 'B' | 'C', (string | null)[]> = {
  A: [C, C, C, C, N, N, N, N, P, P, P, P],
  B: [C, C, C, N, N, N, N, P, P, P, P, C],
  C: [C, C, C, C, N, N, N, N, P, P, N, null],
};

/** The model's predicted class per image: wrong on images 2 and 6. */
export const PLAN_PREDICTED = [C, N, C, C, N, P, N, N, P, P, P, P];

// Hand-computed values for the plan.
// Cohen A–B, 12 images: agree on 9, p_o = 3/4; both use each class 4 times, p_e = 3 * 16/144 = 1/3;
//   kappa = (3/4 - 1/3) / (2/3) = 5/8.
// Cohen A–C, images 1..11: agree on 10, p_o = 10/11; A uses C 4, N 4, P 3 times, C: 4, 5, 2;
//   p_e = (16 + 20 + 6) / 121 = 42/121; kappa = (110 - 42) / (121 - 42) = 68/79.
// Cohen B–C, images 1..11: agree on 1, 2, 3, 5, 6, 7, 9, 10 = 8, p_o = 88/121; B: C 3, N 4, P 4;
//   p_e = (12 + 20 + 8) / 121 = 40/121; kappa = (88 - 40) / (121 - 40) = 48/81 = 16/27.
// Fleiss: P_u = 1 on the 8 unanimous images, (4 + 1 - 3) / 6 = 1/3 on images 4, 8, 11, and 0 on image 12 (two
//   readers, split): P̄ = (8 + 1 + 0) / 12 = 3/4. Readings C 12, N 13, P 10 of 35: P_e = (144 + 169 + 100) / 1225
//   = 413/1225; kappa = (3/4 - 413/1225) / (1 - 413/1225) = (2023/4) / 812 = 2023/3248.
// Krippendorff: n = 35, sum o_cc = 8 * 3 (unanimous: 3 * 2 / 2) + 3 * 1 (2-1 splits: 2 * 1 / 2) + 0 = 27;
//   alpha = 1 - (35 - 1) * (35 - 27) / (1225 - 413) = 1 - 272/812 = 540/812.
// COVID against the rest, A–B: both 3 (1-3), A only 1 (4), B only 1 (12), neither 7: p_o = 10/12;
//   p_e = (1/3)(1/3) + (2/3)(2/3) = 5/9; kappa = (10/12 - 5/9) / (4/9) = 5/8.
export const PLAN_KAPPAS = {
  AB: 5 / 8,
  AC: 68 / 79,
  BC: 16 / 27,
  fleiss: 2023 / 3248,
  alpha: 540 / 812,
  covidAB: 5 / 8,
  // The model against A on 12 images: agree on 10; model margins C 3, N 4, P 5; p_e = (12 + 16 + 20) / 144 = 1/3;
  //   kappa = (10/12 - 1/3) / (2/3) = 3/4.
  modelA: 3 / 4,
};
// Majority: images 1-11 settle to A's class (2-1 or 3-0), image 12 ties (A: PNEUMONIA, B: COVID).
// Model against that consensus (images 1-11): COVID sens 3/4 spec 7/7, NORMAL sens 3/4 spec 6/7, PNEUMONIA sens 3/3
//   spec 7/8; reader B the same: COVID 3/4, 7/7; NORMAL 3/4, 6/7; PNEUMONIA 3/3, 7/8.
