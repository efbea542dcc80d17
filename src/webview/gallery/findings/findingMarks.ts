// What a multi-label tile shows per finding, as plain functions (no DOM): the label, the findings model's
// probability, and whether the two agree at that finding's threshold. Uncertain labels are "to resolve", never
// errors; an unmentioned finding counts as negative, as the findings model was trained (see ml/multilabel/config.ts).
import type { FindingModel, GalleryItem } from '../../../shared/protocol';

/** The label of one finding as the gallery item carries it. */
export type ShownLabel = 'positive' | 'uncertain' | 'negative';

export type FindingAgreement = 'agree' | 'disagree' | 'resolve';

export interface FindingMark {
  finding: string;
  label: ShownLabel;
  /** The findings model's probability, when it scored this item and trained this finding. */
  probability?: number;
  /** The model calls it positive (probability at or above the threshold). */
  called?: boolean;
  /** Undefined without a probability and threshold. */
  agreement?: FindingAgreement;
}

export function labelOf(item: GalleryItem, finding: string): ShownLabel {
  if (item.findings?.positive.includes(finding)) return 'positive';
  if (item.findings?.uncertain.includes(finding)) return 'uncertain';
  return 'negative';
}

/** One finding of one item: its label, and the model's view of it when there is one. */
export function markOf(item: GalleryItem, finding: string, model: FindingModel | undefined): FindingMark {
  const label = labelOf(item, finding);
  const index = model?.findings.indexOf(finding) ?? -1;
  const probability = index >= 0 ? item.findingProbs?.[index] : undefined;
  const threshold = index >= 0 ? model!.thresholds[index] : null;
  if (probability === undefined) return { finding, label };
  if (threshold === null) return { finding, label, probability };
  const called = probability >= threshold;
  const agreement: FindingAgreement = label === 'uncertain' ? 'resolve' : called === (label === 'positive') ? 'agree' : 'disagree';
  return { finding, label, probability, called, agreement };
}

/**
 * The findings that matter on a tile: those labelled positive or uncertain, and those the model calls positive,
 * disagreements first, then by probability.
 */
export function tileMarks(item: GalleryItem, model: FindingModel | undefined): FindingMark[] {
  if (!item.findings) return [];
  const names = new Set([...item.findings.positive, ...item.findings.uncertain]);
  model?.findings.forEach((finding, i) => {
    const p = item.findingProbs?.[i];
    const t = model.thresholds[i];
    if (p !== undefined && t !== null && p >= t) names.add(finding);
  });
  const rank = (mark: FindingMark): number => (mark.agreement === 'disagree' ? 0 : mark.agreement === 'resolve' ? 1 : 2);
  return [...names].map((name) => markOf(item, name, model)).sort((a, b) => rank(a) - rank(b) || (b.probability ?? -1) - (a.probability ?? -1));
}

/** A multi-label item against the findings model: false when any finding disagrees, true when all scored ones agree. */
export function findingsAgree(item: GalleryItem, model: FindingModel | undefined): boolean | undefined {
  if (!item.findings || !model || !item.findingProbs) return undefined;
  let scored = false;
  for (const finding of model.findings) {
    const { agreement } = markOf(item, finding, model);
    if (agreement === 'disagree') return false;
    if (agreement === 'agree') scored = true;
  }
  return scored ? true : undefined;
}

/** The chip's text: the finding, `?` when uncertain, `(model)` when only the model calls it, and the probability. */
export function markText(mark: FindingMark): string {
  const glyph = mark.agreement === 'agree' ? '✓ ' : mark.agreement === 'disagree' ? '✗ ' : mark.agreement === 'resolve' ? '? ' : '';
  const name = `${mark.finding}${mark.label === 'uncertain' ? '?' : mark.label === 'negative' ? ' (model)' : ''}`;
  return `${glyph}${name}${mark.probability !== undefined ? ` ${Math.round(mark.probability * 100)}%` : ''}`;
}

/** The chip's description for screen readers and the hover. */
export function markDescription(mark: FindingMark): string {
  const label = { positive: 'labelled positive', uncertain: 'labelled uncertain (to resolve)', negative: 'not labelled positive' }[mark.label];
  const model = mark.probability === undefined ? '' : `; model ${(mark.probability * 100).toFixed(1)}%${mark.called === undefined ? '' : mark.called ? ', called positive' : ', called negative'}`;
  const verdict = mark.agreement === 'agree' ? ': agrees' : mark.agreement === 'disagree' ? ': disagrees' : '';
  return `${mark.finding}: ${label}${model}${verdict}`;
}
