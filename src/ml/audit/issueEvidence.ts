/**
 * Why an item is a label issue, told apart by its nearest images' labels (the leave-one-out k-NN half of the
 * audit's probabilities). When most of its labelled neighbours carry another class, the label looks wrong; when
 * most share its label and only the classifier objects, the model is weak here: an unusual image, or a source
 * the dataset holds few images of. On held-out cxr sets with 5% of labels flipped (`bench/labelIssuesHeldOut.ts`),
 * 44% of the issues of the first kind were flips, and 3% of the second.
 */
import type { NeighbourSearch } from './neighbours';

export type IssueKind = 'label' | 'model';

export interface IssueEvidence {
  kind: IssueKind;
  /** Labelled neighbours that voted (unlabelled ones do not). */
  neighbours: number;
  /** Of those, how many carry the item's given label, and how many the suggested one. */
  sameLabel: number;
  suggestedLabel: number;
}

/** The evidence for item `index` (a row of `search`), given label `given`, suggested label `suggested`. */
export function issueEvidence(search: NeighbourSearch, labels: readonly number[], index: number, given: number, suggested: number): IssueEvidence {
  let neighbours = 0;
  let sameLabel = 0;
  let suggestedLabel = 0;
  for (let t = 0; t < search.k; t++) {
    const j = search.neighbours[index * search.k + t];
    if (j < 0 || labels[j] < 0) continue;
    neighbours++;
    if (labels[j] === given) sameLabel++;
    else if (labels[j] === suggested) suggestedLabel++;
  }
  return { kind: 2 * sameLabel < neighbours ? 'label' : 'model', neighbours, sameLabel, suggestedLabel };
}

/** The evidence in words, for the issue queue's banner and the audit page. */
export function evidenceText(evidence: IssueEvidence, givenLabel: string, suggestedLabel: string): string {
  const { neighbours, sameLabel, suggestedLabel: suggested } = evidence;
  return evidence.kind === 'label'
    ? `the label looks wrong: ${suggested} of the ${neighbours} most similar images are ${suggestedLabel}${sameLabel ? `, ${sameLabel} ${givenLabel}` : ''}`
    : `the model is weak here: ${sameLabel} of the ${neighbours} most similar images are ${givenLabel} too`;
}
