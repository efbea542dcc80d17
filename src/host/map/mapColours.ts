// The ways the dataset map colours its points, from what the gallery shows of each item: label, prediction, right or
// wrong, source, flag, split, label-issue score; on a multi-label dataset, which has no class, whether any finding is
// positive and each finding's state instead of the class colourings. Pure (no vscode), so tests call it directly.
import type { MapColouring } from '../../shared/mapProtocol';
import type { GalleryItem } from '../../shared/protocol';

/** Codes are bytes; 255 means "none". More categories than this are folded into the last one, "other". */
const MAX_CATEGORIES = 254;
const NONE = 255;

/** One colouring per way, for the items at the map's points (undefined: gone from the dataset since the map was made). */
export function mapColourings(items: readonly (GalleryItem | undefined)[], classes: readonly string[], findings: readonly string[] = []): MapColouring[] {
  const categorical = (name: MapColouring['name'], title: string, of: (item: GalleryItem) => string | undefined, first: readonly string[] = []): MapColouring => {
    const categories = [...first];
    const codeOf = new Map(categories.map((c, i) => [c, i]));
    const codes = new Uint8Array(items.length).fill(NONE);
    items.forEach((item, i) => {
      const value = item && of(item);
      if (value === undefined) return;
      let code = codeOf.get(value);
      if (code === undefined) {
        if (categories.length === MAX_CATEGORIES) code = MAX_CATEGORIES - 1;
        else {
          code = categories.length;
          categories.push(categories.length === MAX_CATEGORIES - 1 ? 'other' : value);
          codeOf.set(value, code);
        }
      }
      codes[i] = code;
    });
    return { name, title, categories, codes };
  };
  const issue = new Float32Array(items.length).fill(Number.NaN);
  items.forEach((item, i) => {
    if (item?.issueScore !== undefined) issue[i] = Math.min(1, Math.max(0, item.issueScore));
  });
  const byClass = findings.length
    ? [categorical('findings', 'Any finding', anyFinding, ['a finding positive', 'uncertain only', 'no finding'])]
    : [
        categorical('label', 'Label', (item) => item.label ?? 'unlabelled', [...classes, 'unlabelled']),
        categorical('prediction', 'Prediction', (item) => item.prediction?.predicted, classes),
        categorical('correctness', 'Right or wrong', (item) => (item.prediction && item.label !== null ? (item.prediction.predicted === item.label ? 'correct' : 'misclassified') : undefined), ['correct', 'misclassified']),
      ];
  return [
    ...byClass,
    categorical('source', 'Source', (item) => item.metadata?.source),
    categorical('flag', 'Flag', (item) => (item.flagged ? 'flagged' : 'not flagged'), ['not flagged', 'flagged']),
    categorical('split', 'Split', (item) => item.split),
    { name: 'issue', title: 'Label-issue score', values: issue },
    ...findings.map((finding) =>
      categorical(`finding:${finding}`, `Finding ${finding}`, (item) => findingState(item, finding), ['positive', 'uncertain', 'negative or not mentioned']),
    ),
  ];
}

function anyFinding(item: GalleryItem): string | undefined {
  if (!item.findings) return undefined;
  if (item.findings.positive.length) return 'a finding positive';
  return item.findings.uncertain.length ? 'uncertain only' : 'no finding';
}

function findingState(item: GalleryItem, finding: string): string | undefined {
  if (!item.findings) return undefined;
  if (item.findings.positive.includes(finding)) return 'positive';
  return item.findings.uncertain.includes(finding) ? 'uncertain' : 'negative or not mentioned';
}
