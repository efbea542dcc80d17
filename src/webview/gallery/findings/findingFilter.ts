// The per-finding filter of a multi-label gallery: one finding, by its label or its agreement with the findings
// model, within a probability range. Plain functions over data (no DOM), tested in Node.
import type { FindingLabel, FindingModel, GalleryItem } from '../../../shared/protocol';
import { markOf } from './findingMarks';

export type FindingStateFilter = 'any' | 'positive' | 'uncertain' | 'negative' | 'disagreeing' | 'agreeing';
export const FINDING_STATE_FILTERS: readonly FindingStateFilter[] = ['any', 'positive', 'uncertain', 'negative', 'disagreeing', 'agreeing'];

export interface FindingFilter {
  /** The finding filtered on; undefined = no finding filter. */
  finding?: string;
  findingState: FindingStateFilter;
  /** Probability range of that finding, 0…1; anything narrower than [0, 1] hides items the model did not score. */
  findingMin: number;
  findingMax: number;
}

/** The findings model the gallery shows, set from each dataset summary (one gallery per webview). */
let shownModel: FindingModel | undefined;

export function showFindingModel(model: FindingModel | undefined): void {
  shownModel = model;
}

export function findingModel(): FindingModel | undefined {
  return shownModel;
}

export function matchesFinding(item: GalleryItem, filter: FindingFilter): boolean {
  if (filter.finding === undefined) return true;
  if (!item.findings) return false;
  const mark = markOf(item, filter.finding, shownModel);
  switch (filter.findingState) {
    case 'positive':
    case 'uncertain':
    case 'negative':
      if (mark.label !== filter.findingState) return false;
      break;
    case 'disagreeing':
      if (mark.agreement !== 'disagree') return false;
      break;
    case 'agreeing':
      if (mark.agreement !== 'agree') return false;
      break;
  }
  if (filter.findingMin > 0 || filter.findingMax < 1) {
    if (mark.probability === undefined || mark.probability < filter.findingMin || mark.probability > filter.findingMax) return false;
  }
  return true;
}

/** The probability of the filtered finding, the key of the "finding probability" sort. */
export function findingProbability(item: GalleryItem, finding: string | undefined): number | undefined {
  return finding === undefined ? undefined : markOf(item, finding, shownModel).probability;
}

/** `item` with one finding set as the gallery item carries it (positive and uncertain lists), for an edit shown at once. */
export function withFinding(item: GalleryItem, finding: string, state: FindingLabel): GalleryItem {
  if (!item.findings) return item;
  const positive = item.findings.positive.filter((name) => name !== finding);
  const uncertain = item.findings.uncertain.filter((name) => name !== finding);
  if (state === 'positive') positive.push(finding);
  if (state === 'uncertain') uncertain.push(finding);
  return { ...item, findings: { positive, uncertain } };
}
