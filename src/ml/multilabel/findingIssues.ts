/**
 * Label issues of a multi-label dataset, one finding at a time: confident learning (as in `audit/labelIssues.ts`)
 * on each finding's positive-vs-negative labels, with the same out-of-fold probabilities as the single-label audit
 * (grouped k-fold softmax regression averaged with leave-one-out k-NN on the embeddings). Uncertain labels are not
 * errors: they are listed "to resolve", with the side the embeddings lean to.
 */
import type { FindingState, Findings } from '../../dataset/multilabel/types';
import type { SuggestedFinding } from '../../shared/protocol';
import { findLabelIssues } from '../audit/labelIssues';
import { selectRows, type FeatureMatrix } from '../audit/matrix';
import { knnProbabilities, type NeighbourSearch } from '../audit/neighbours';
import { crossValidatedProbabilities, fitSoftmax, predictSoftmax } from '../audit/softmaxRegression';
import type { GroupId } from '../splits';
import type { MultiLabelTrainConfig } from './config';
import { evaluationTarget } from './targets';

export type DecidedState = 'positive' | 'negative';

/** One label the audit finds likely wrong: `given` (negative or unmentioned, or positive) against `suggested`. */
export interface FindingIssue {
  id: string;
  finding: string;
  given: FindingState;
  suggested: DecidedState;
  /** 1 − the out-of-fold probability of the given side. */
  score: number;
}

/** An uncertain label, with the side the embeddings lean to (never counted as an error). */
export interface FindingToResolve {
  id: string;
  finding: string;
  /** Probability of positive from a model fitted on every decided label of the finding. */
  probability: number;
  suggested: DecidedState;
}

export interface FindingIssuesSection {
  method: string;
  findings: {
    finding: string;
    /** Decided labels checked (positive, negative and, under the policy, unmentioned). */
    support: number;
    positives: number;
    issues: number;
    toResolve: number;
    /** Confident-learning thresholds [negative, positive]: the mean out-of-fold probability of each side. */
    thresholds: [number, number];
  }[];
  /** Findings with too few positives or negatives to check. */
  leftOut: { finding: string; positives: number; negatives: number }[];
  /** Ranked, most suspicious first. */
  issues: FindingIssue[];
  toResolve: FindingToResolve[];
  /** Per item: its highest issue score over the checked findings (an uncertain label counts 0.5). */
  scores: Record<string, number>;
}

export interface FindingIssuesInput {
  ids: readonly string[];
  findings: readonly string[];
  /** Per item (rows of `x`). */
  states: readonly Findings[];
  /** Embeddings in principal components, a row per item. */
  x: FeatureMatrix;
  /** Nearest neighbours of every item (`searchNeighbours`). */
  search: NeighbourSearch;
  groups: readonly GroupId[];
  config: Pick<MultiLabelTrainConfig, 'unmentioned' | 'minPositives'>;
  folds: number;
  seed: number;
  /**
   * Called for each checked finding with its labelled rows (indices of `x`), their sides (1 positive) and the
   * grouped out-of-fold softmax probabilities: the shortcut audit per finding reuses them.
   */
  onChecked?: (finding: string, rows: readonly number[], y: readonly number[], softmax: readonly (readonly number[])[]) => Promise<void>;
}

export const FINDING_ISSUES_METHOD =
  'confident learning (prune by noise rate) per finding, positive vs negative, on out-of-fold probabilities: mean of softmax regression (grouped k-fold) and leave-one-out k-NN on the embeddings; uncertain labels are listed to resolve';

/** An uncertain label ranks with a score of 0.5: the label itself says nothing either way. */
const UNCERTAIN_SCORE = 0.5;

export async function findFindingIssues(input: FindingIssuesInput): Promise<FindingIssuesSection> {
  const { ids, findings, states, x, search, groups, config, folds, seed } = input;
  const section: FindingIssuesSection = { method: FINDING_ISSUES_METHOD, findings: [], leftOut: [], issues: [], toResolve: [], scores: {} };
  const raise = (id: string, score: number): void => {
    section.scores[id] = Math.max(section.scores[id] ?? 0, score);
  };
  for (const finding of findings) {
    const labels = states.map((s) => evaluationTarget(s[finding], config) ?? -1);
    const labelled = labels.flatMap((label, i) => (label >= 0 ? [i] : []));
    const positives = labelled.filter((i) => labels[i] === 1).length;
    const negatives = labelled.length - positives;
    // Each fold needs both sides to fit on, and confident learning needs a few of each to set its thresholds.
    if (positives < Math.max(config.minPositives, folds) || negatives < Math.max(config.minPositives, folds)) {
      section.leftOut.push({ finding, positives, negatives });
      continue;
    }
    const y = labelled.map((i) => labels[i]);
    const xs = selectRows(x, labelled);
    const knn = knnProbabilities(search, labels, 2);
    const softmax = await crossValidatedProbabilities(xs, y, 2, { groups: labelled.map((i) => groups[i]), folds, seed });
    const probabilities = softmax.map((row, r) => row.map((p, c) => (p + knn[labelled[r]][c]) / 2));
    const confident = findLabelIssues(probabilities, y);
    await input.onChecked?.(finding, labelled, y, softmax);
    labelled.forEach((i, r) => raise(ids[i], confident.scores[r]));
    for (const issue of confident.issues) {
      const i = labelled[issue.index];
      section.issues.push({ id: ids[i], finding, given: states[i][finding], suggested: issue.suggestedLabel === 1 ? 'positive' : 'negative', score: 1 - issue.selfConfidence });
    }

    const uncertain = states.flatMap((s, i) => (s[finding] === 'uncertain' ? [i] : []));
    if (uncertain.length > 0) {
      const model = fitSoftmax(xs, y.map((_, r) => r), y, 2);
      const fitted = predictSoftmax(model, x, uncertain);
      const [t0, t1] = confident.thresholds;
      uncertain.forEach((i, u) => {
        const probability = (fitted[u][1] + knn[i][1]) / 2;
        // Each side against its own threshold, as confident learning compares them.
        const suggested: DecidedState = probability / t1 >= (1 - probability) / t0 ? 'positive' : 'negative';
        section.toResolve.push({ id: ids[i], finding, probability, suggested });
        raise(ids[i], UNCERTAIN_SCORE);
      });
    }
    section.findings.push({
      finding,
      support: labelled.length,
      positives,
      issues: confident.issues.length,
      toResolve: uncertain.length,
      thresholds: [confident.thresholds[0], confident.thresholds[1]],
    });
  }
  section.issues.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id) || a.finding.localeCompare(b.finding));
  return section;
}

/** What the gallery's issue queue suggests per item: its top issue, or else its most leaning uncertain label. */
export function suggestedFindingsOf(section: Pick<FindingIssuesSection, 'issues' | 'toResolve'>): Record<string, SuggestedFinding> {
  const out: Record<string, SuggestedFinding> = {};
  for (const issue of section.issues) out[issue.id] ??= { finding: issue.finding, state: issue.suggested };
  const lean = (t: FindingToResolve): number => Math.abs(t.probability - 0.5);
  for (const t of [...section.toResolve].sort((a, b) => lean(b) - lean(a))) out[t.id] ??= { finding: t.finding, state: t.suggested, toResolve: true };
  return out;
}
