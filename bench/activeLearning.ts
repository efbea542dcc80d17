// A simulated labelling loop on the cxr embeddings: start from a few labelled images, and each round label the next
// batch the queue picks (uncertainty, diversity, mixed, as `rankNext` ranks them for the extension) or a random
// batch, retrain, and score a held-out test split (grouped by patient). The curve is balanced accuracy against the
// number of labels; the figure is how many labels each order needs to reach 95% of what the whole pool gives.
import { fitSoftmax, predictSoftmax, principalComponents } from '../src/ml/audit';
import { balancedAccuracyOf } from '../src/ml/audit/shortcuts';
import { predictedClasses } from '../src/ml/metrics';
import { NEXT_STRATEGIES, rankNext, type NextStrategy } from '../src/ml/nextQueue/rankNext';
import { seededRandom, shuffled, stratifiedGroupSplit } from '../src/ml/splits';
import { progress, runBenchmark } from './lib/child';
import { cxrFeatures, openCxrSession } from './lib/features';

/** Labels the loop starts from, and labels added per round, up to `BUDGET`. */
const START = 12;
const BATCH = 12;
const BUDGET = 600;
/** Share of the whole pool's balanced accuracy that counts as reached. */
const TARGET_SHARE = 0.95;
/** Components of the learner's input: the audit's softmax regression, the same family as the frozen-backbone head. */
const COMPONENTS = 64;

type Order = NextStrategy | 'random';
const ORDERS: readonly Order[] = ['random', ...NEXT_STRATEGIES];

interface CurvePoint {
  labels: number;
  balancedAccuracy: number;
}

runBenchmark('activeLearning', async ({ work, quick }) => {
  const session = await openCxrSession(work);
  try {
    const { items, features, featureDim: dim } = await cxrFeatures(session, work);
    const classes = [...new Set(items.map((item) => item.label!))].sort();
    const labels = items.map((item) => classes.indexOf(item.label!));
    const groups = items.map((item) => item.metadata.patient_id || null);
    const x = principalComponents({ data: features, rows: items.length, cols: dim }, COMPONENTS, 0).scores;
    const vectors = { data: features, rows: items.length, cols: dim };
    const seeds = quick ? [1, 2] : [1, 2, 3, 4, 5];

    const accuracyOf = (train: readonly number[], test: readonly number[]): number => {
      const probs = predictSoftmax(fitSoftmax(x, train, labels, classes.length), x, test);
      return balancedAccuracyOf(test.map((r) => labels[r]), predictedClasses(probs), classes) ?? 0;
    };

    const curves = new Map<Order, CurvePoint[][]>(ORDERS.map((order) => [order, []]));
    const ceilings: number[] = [];
    for (const seed of seeds) {
      const split = stratifiedGroupSplit(labels, groups, { train: 0.7, validation: 0, test: 0.3 }, seed);
      const pool = split.train;
      const test = split.test;
      ceilings.push(accuracyOf(pool, test));
      const random = seededRandom(seed);
      const start = shuffled(pool, random).slice(0, START);
      for (const order of ORDERS) {
        progress('activeLearning', `seed ${seed}: ${order}`);
        const labelled = start.slice();
        const inPool = new Set(pool.filter((r) => !labelled.includes(r)));
        const randomOrder = shuffled([...inPool], random);
        const curve: CurvePoint[] = [];
        for (;;) {
          const model = fitSoftmax(x, labelled, labels, classes.length);
          const testProbs = predictSoftmax(model, x, test);
          curve.push({ labels: labelled.length, balancedAccuracy: balancedAccuracyOf(test.map((r) => labels[r]), predictedClasses(testProbs), classes) ?? 0 });
          if (labelled.length >= BUDGET || inPool.size === 0) break;
          const candidates = [...inPool];
          let picks: number[];
          if (order === 'random') picks = randomOrder.filter((r) => inPool.has(r)).slice(0, BATCH);
          else {
            const probs: (number[] | null)[] = new Array(items.length).fill(null);
            predictSoftmax(model, x, candidates).forEach((row, i) => (probs[candidates[i]] = row));
            picks = rankNext(order, { vectors, candidates, labelled, probs }, BATCH).map((r) => r.row);
          }
          for (const r of picks) {
            labelled.push(r);
            inPool.delete(r);
          }
        }
        curves.get(order)!.push(curve);
      }
    }

    const ceiling = ceilings.reduce((a, b) => a + b, 0) / ceilings.length;
    const target = TARGET_SHARE * ceiling;
    const meanCurve = (runs: CurvePoint[][]): CurvePoint[] =>
      runs[0].map((point, i) => ({ labels: point.labels, balancedAccuracy: runs.reduce((sum, run) => sum + run[i].balancedAccuracy, 0) / runs.length }));
    const mean = new Map(ORDERS.map((order) => [order, meanCurve(curves.get(order)!)]));
    // The first budget from which the mean curve stays at or above the target (null: not within the budget).
    const labelsToTarget = (curve: CurvePoint[]): number | null => {
      for (let i = 0; i < curve.length; i++) if (curve.slice(i).every((p) => p.balancedAccuracy >= target)) return curve[i].labels;
      return null;
    };
    const metrics: Record<string, number | null> = {};
    const randomLabels = labelsToTarget(mean.get('random')!);
    for (const order of ORDERS) {
      const needed = labelsToTarget(mean.get(order)!);
      metrics[`activeLearning.labelsToTarget.${order}`] = needed;
      if (order !== 'random') metrics[`activeLearning.labelsVsRandom.${order}`] = needed !== null && randomLabels !== null ? needed / randomLabels : null;
    }
    return {
      metrics,
      inputs: {
        items: items.length,
        seeds,
        start: START,
        batch: BATCH,
        budget: BUDGET,
        learner: `softmax regression on ${COMPONENTS} principal components of the cached embeddings`,
        test: '30% of the images, stratified and grouped by patient, per seed',
        target: `${TARGET_SHARE} × the balanced accuracy of the whole pool (${ceiling.toFixed(3)}) = ${target.toFixed(3)}`,
      },
      details: { meanCurves: Object.fromEntries(mean), ceilingPerSeed: ceilings },
      notes: ['labelsVsRandom: labels an order needs to reach the target, over the labels random order needs (below 1: fewer labels).'],
    };
  } finally {
    await session.close();
  }
});
