// The label-issue ranking on datasets unlike the one it was first measured on: subsets of the cxr embeddings that
// leave a source out, keep a source rare, keep only one or two sources (where the classes are not told apart by
// source and the model is weak), or are small; each with 5% of the labels flipped, over several seeds. Per family:
// the recall of the flips in the top 2× issues, and how often an issue of each kind ("the label looks wrong", "the
// model is weak here") is a flip.
import type { DatasetItem } from '../src/dataset';
import { runAudit } from '../src/ml/audit';
import { seededRandom, shuffled } from '../src/ml/splits';
import { progress, runBenchmark } from './lib/child';
import { cxrFeatures, openCxrSession } from './lib/features';
import { auditItem, flipLabels, recallInTop } from './lib/labelNoise';

const FLIP_RATE = 0.05;
/** Images a rare source keeps. */
const RARE = 30;

interface Scenario {
  family: string;
  name: string;
  rows: number[];
  seed: number;
}

function scenarios(items: readonly DatasetItem[], seeds: readonly number[]): Scenario[] {
  const all = items.map((_, i) => i);
  const sourceOf = (i: number): string => items[i].metadata.source ?? '';
  const sources = [...new Set(all.map(sourceOf))].sort();
  const out: Scenario[] = [];
  for (const seed of seeds) {
    for (const n of [300, 688]) out.push({ family: 'small', name: `${n} random`, rows: shuffled(all, seededRandom(100 + seed)).slice(0, n).sort((a, b) => a - b), seed });
    for (const source of sources) {
      const others = all.filter((i) => sourceOf(i) !== source);
      out.push({ family: 'withoutSource', name: `without ${source}`, rows: others, seed });
      const few = shuffled(all.filter((i) => sourceOf(i) === source), seededRandom(200 + seed)).slice(0, RARE);
      out.push({ family: 'rareSource', name: `${source} rare (${RARE})`, rows: [...others, ...few].sort((a, b) => a - b), seed });
    }
    // Where one source holds two classes, the source cannot tell them apart and the model is weak.
    for (const pick of [['kermany'], ['nih14'], ['ieee8023'], ['ieee8023', 'nih14'], ['cxnet', 'ieee8023', 'nih14']]) {
      out.push({ family: 'fewSources', name: `only ${pick.join(' + ')}`, rows: all.filter((i) => pick.includes(sourceOf(i))), seed });
    }
  }
  return out;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

runBenchmark('labelIssuesHeldOut', async ({ work, quick }) => {
  const session = await openCxrSession(work);
  try {
    const cxr = await cxrFeatures(session, work);
    const { items, features, featureDim: dim } = cxr;
    const rows: { family: string; name: string; seed: number; items: number; classes: number; flips: number; recall: number; balancedAccuracy: number | null }[] = [];
    const kinds = { label: { issues: 0, flips: 0 }, model: { issues: 0, flips: 0 } };
    const list = scenarios(items, quick ? [1] : [1, 2, 3]);
    for (const [done, scenario] of list.entries()) {
      const subset = scenario.rows.map((r) => items[r]);
      const classes = [...new Set(subset.map((item) => item.label!))].sort();
      const { noisy, flipped } = flipLabels(subset.map((item) => item.label!), classes, FLIP_RATE, 7 * scenario.seed + 5);
      const data = new Float32Array(subset.length * dim);
      scenario.rows.forEach((r, i) => data.set(features.subarray(r * dim, (r + 1) * dim), i * dim));
      progress('labelIssuesHeldOut', `${done + 1}/${list.length}: ${scenario.name}, seed ${scenario.seed}`);
      const report = await runAudit({
        dataset: scenario.name,
        classes,
        items: subset.map((item, i) => auditItem(item, noisy[i])),
        features: { data, rows: subset.length, cols: dim },
        options: { seed: scenario.seed },
      });
      const flippedIds = new Set([...flipped].map((i) => subset[i].id));
      for (const issue of report.labelIssues!.issues) {
        kinds[issue.kind].issues++;
        if (flippedIds.has(issue.id)) kinds[issue.kind].flips++;
      }
      const { family, name, seed } = scenario;
      rows.push({ family, name, seed, items: subset.length, classes: classes.length, flips: flipped.size, recall: recallInTop(report, flippedIds), balancedAccuracy: report.labelIssues!.balancedAccuracy });
    }
    const families = [...new Set(rows.map((r) => r.family))];
    const metrics: Record<string, number> = {
      'labelIssuesHeldOut.recallTop2x': mean(rows.map((r) => r.recall)),
      'labelIssuesHeldOut.worstRecallTop2x': Math.min(...rows.map((r) => r.recall)),
      'labelIssuesHeldOut.flipShare.label': kinds.label.flips / Math.max(1, kinds.label.issues),
      'labelIssuesHeldOut.flipShare.model': kinds.model.flips / Math.max(1, kinds.model.issues),
    };
    for (const family of families) metrics[`labelIssuesHeldOut.${family}.recallTop2x`] = mean(rows.filter((r) => r.family === family).map((r) => r.recall));
    return {
      metrics,
      inputs: {
        items: items.length,
        featureDim: dim,
        flipRate: FLIP_RATE,
        seeds: quick ? [1] : [1, 2, 3],
        scenarios: [...new Set(rows.map((r) => r.name))],
        method: 'runAudit as shipped (confident learning on the mean of softmax regression and k-NN, out of fold)',
      },
      details: { perScenario: rows, kinds },
      notes: [
        'recall: flipped labels among the top 2 × (number flipped) issue scores; flipShare: of the issues of each kind, the share that are flips.',
        'fewSources keeps only sources where one source holds two classes: there the embeddings separate the classes poorly (out-of-fold balanced accuracy in perScenario).',
      ],
    };
  } finally {
    await session.close();
  }
});
