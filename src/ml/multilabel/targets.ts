// Finding states as training and evaluation targets: the uncertainty policy, which labels count, and which
// findings have enough positives to train.
import type { FindingState, Findings } from '../../dataset/multilabel/types';
import { uncertaintyOf } from './config';
import type { MultiLabelTrainConfig } from './config';

/** Targets of `rows` items for `findings`, row-major `rows × findings.length`. */
export interface LabelMatrix {
  findings: string[];
  rows: number;
  /** 1 positive, 0 negative, as the policy reads each state (0 where masked). */
  targets: Float32Array;
  /** 1 where the label counts, 0 where it is ignored (uncertain with policy `ignore`, unmentioned with `ignore`). */
  mask: Float32Array;
}

/**
 * The training target of one state under the policies, or null when the label is left out of the loss. A finding
 * the item's record does not have at all (another dataset's finding) is never a target.
 */
export function trainingTarget(state: FindingState | undefined, finding: string, config: MultiLabelTrainConfig): 0 | 1 | null {
  if (state === undefined) return null;
  switch (state) {
    case 'positive':
      return 1;
    case 'negative':
      return 0;
    case 'unmentioned':
      return config.unmentioned === 'negative' ? 0 : null;
    case 'uncertain': {
      const policy = uncertaintyOf(config, finding);
      return policy === 'ignore' ? null : policy === 'positive' ? 1 : 0;
    }
  }
}

/**
 * The target a metric compares the model with: positive 1, negative 0, unmentioned as the policy says;
 * uncertain labels are never scored (they are to be resolved, not right or wrong), nor findings the item lacks.
 */
export function evaluationTarget(state: FindingState | undefined, config: Pick<MultiLabelTrainConfig, 'unmentioned'>): 0 | 1 | null {
  return state === 'positive' ? 1 : state === 'negative' ? 0 : state === 'unmentioned' && config.unmentioned === 'negative' ? 0 : null;
}

/** Whether anything is said about the item: an image without a row (every finding unmentioned) is unlabelled. */
export function hasLabels(findings: Findings | undefined): boolean {
  return findings !== undefined && Object.values(findings).some((state) => state !== 'unmentioned');
}

/** Training targets and mask of every item for `findings`. */
export function labelMatrix(items: readonly Findings[], findings: readonly string[], config: MultiLabelTrainConfig): LabelMatrix {
  const k = findings.length;
  const targets = new Float32Array(items.length * k);
  const mask = new Float32Array(items.length * k);
  items.forEach((states, i) => {
    findings.forEach((finding, f) => {
      const target = trainingTarget(states[finding], finding, config);
      if (target === null) return;
      targets[i * k + f] = target;
      mask[i * k + f] = 1;
    });
  });
  return { findings: [...findings], rows: items.length, targets, mask };
}

/** Positive and counted labels per finding over `rows` (default all). */
export function labelCounts(matrix: LabelMatrix, rows?: readonly number[]): { positives: number[]; counted: number[] } {
  const k = matrix.findings.length;
  const positives = new Array<number>(k).fill(0);
  const counted = new Array<number>(k).fill(0);
  const each = (i: number): void => {
    for (let f = 0; f < k; f++) {
      counted[f] += matrix.mask[i * k + f];
      positives[f] += matrix.targets[i * k + f] * matrix.mask[i * k + f];
    }
  };
  if (rows) rows.forEach(each);
  else for (let i = 0; i < matrix.rows; i++) each(i);
  return { positives, counted };
}

/** The columns `keep` of a matrix (findings in that order). */
export function selectFindings(matrix: LabelMatrix, keep: readonly number[]): LabelMatrix {
  const k = matrix.findings.length;
  const m = keep.length;
  const targets = new Float32Array(matrix.rows * m);
  const mask = new Float32Array(matrix.rows * m);
  for (let i = 0; i < matrix.rows; i++) {
    keep.forEach((f, j) => {
      targets[i * m + j] = matrix.targets[i * k + f];
      mask[i * m + j] = matrix.mask[i * k + f];
    });
  }
  return { findings: keep.map((f) => matrix.findings[f]), rows: matrix.rows, targets, mask };
}

/** The rows `rows` of a matrix. */
export function selectRows(matrix: LabelMatrix, rows: readonly number[]): LabelMatrix {
  const k = matrix.findings.length;
  const targets = new Float32Array(rows.length * k);
  const mask = new Float32Array(rows.length * k);
  rows.forEach((i, r) => {
    targets.set(matrix.targets.subarray(i * k, (i + 1) * k), r * k);
    mask.set(matrix.mask.subarray(i * k, (i + 1) * k), r * k);
  });
  return { findings: matrix.findings, rows: rows.length, targets, mask };
}
