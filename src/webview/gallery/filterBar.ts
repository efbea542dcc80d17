// The filter, sort and search bar. Each choice shows how many items it holds (counts over the whole dataset),
// so the counts are always visible; the "showing N of M" line counts the current view.
import type { FacetCounts } from './facets';
import type { FilterState, SortKey } from './filters';
import { element } from './tile';
import { FindingControls } from './findings/findingControls';
import { percentRange } from './percentRange';
import type { PercentRange } from './percentRange';

/** A select whose options carry typed values (option values in the DOM are only indices). */
export class Choice<T> {
  readonly node = document.createElement('select');
  private values: T[] = [];

  constructor(label: string, private readonly onPick: (value: T) => void) {
    this.node.setAttribute('aria-label', label);
    this.node.title = label;
    this.node.addEventListener('change', () => this.onPick(this.values[this.node.selectedIndex]));
  }

  set(options: readonly [T, string][], current: T): void {
    this.values = options.map(([value]) => value);
    const texts = options.map(([, text]) => text);
    if (this.node.options.length !== texts.length || texts.some((text, i) => this.node.options[i].textContent !== text)) {
      this.node.replaceChildren(
        ...texts.map((text, i) => {
          const option = document.createElement('option');
          option.value = String(i);
          option.textContent = text;
          return option;
        }),
      );
    }
    this.node.selectedIndex = Math.max(0, this.values.indexOf(current));
  }
}

export class FilterBar {
  readonly root = element('div', 'filters');
  readonly search = document.createElement('input');
  private readonly label: Choice<string | null | undefined>;
  private readonly predicted: Choice<string | undefined>;
  private readonly agreement: Choice<FilterState['agreement']>;
  private readonly flagged: Choice<FilterState['flagged']>;
  private readonly split: Choice<string | undefined>;
  private readonly source: Choice<string | undefined>;
  private readonly sort: Choice<SortKey>;
  private readonly changed = document.createElement('input');
  private readonly changedText = element('span', '');
  private readonly confidence: PercentRange;
  private readonly direction = document.createElement('button');
  private readonly clear = document.createElement('button');
  private readonly findings: FindingControls;
  /** The class-prediction controls, which say nothing on a multi-label dataset (its findings have their own). */
  private readonly classControls: HTMLElement[];

  constructor(private filter: FilterState, private readonly onChange: (filter: FilterState) => void) {
    const set = (patch: Partial<FilterState>): void => {
      this.filter = { ...this.filter, ...patch };
      this.onChange(this.filter);
    };
    this.label = new Choice('Filter by label', (label) => set({ label }));
    this.predicted = new Choice('Filter by prediction', (predicted) => set({ predicted }));
    this.agreement = new Choice('Correct or misclassified', (agreement) => set({ agreement }));
    this.flagged = new Choice('Flagged', (flagged) => set({ flagged }));
    this.split = new Choice('Filter by split', (split) => set({ split }));
    this.source = new Choice('Filter by source', (source) => set({ source }));
    this.sort = new Choice('Sort by', (sort) => set({ sort }));
    this.findings = new FindingControls(set);

    this.search.type = 'search';
    this.search.className = 'search';
    this.search.placeholder = 'Search names and metadata  ( / )';
    this.search.setAttribute('aria-label', 'Search names and metadata');
    this.search.addEventListener('input', () => set({ search: this.search.value }));

    this.changed.type = 'checkbox';
    this.changed.setAttribute('aria-label', 'Only images whose prediction changed with the last retrain');
    this.changed.addEventListener('change', () => set({ changedOnly: this.changed.checked }));
    const changedLabel = element('label', 'check');
    changedLabel.title = 'Only images whose predicted class changed with the last retrain: the queue to review';
    changedLabel.append(this.changed, this.changedText);

    this.confidence = percentRange('Confidence ', 'confidence', 'Confidence range of the prediction, in %', (confidenceMin, confidenceMax) => set({ confidenceMin, confidenceMax }));
    const range = this.confidence.root;

    this.direction.className = 'direction';
    this.direction.addEventListener('click', () => set({ descending: !this.filter.descending }));
    this.clear.textContent = 'Clear filters';
    this.clear.addEventListener('click', () => set({ label: undefined, predicted: undefined, agreement: 'any', flagged: 'any', changedOnly: false, confidenceMin: 0, confidenceMax: 1, split: undefined, source: undefined, search: '', finding: undefined, findingState: 'any', findingMin: 0, findingMax: 1, list: undefined }));

    this.classControls = [this.predicted.node, changedLabel, range];
    this.root.append(
      this.search,
      this.label.node,
      this.predicted.node,
      this.agreement.node,
      this.flagged.node,
      changedLabel,
      range,
      this.split.node,
      this.source.node,
      this.findings.root,
      this.sort.node,
      this.direction,
      this.clear,
    );
  }

  /** Shows the filter and the counts of every choice. */
  update(filter: FilterState, classes: readonly string[], counts: FacetCounts, findings: readonly string[] = []): void {
    this.filter = filter;
    const n = (count: number | undefined): string => (count ?? 0).toLocaleString('en-US');
    this.label.set(
      [[undefined, `Label: any (${n(counts.total)})`], ...classes.map((c): [string, string] => [c, `Label: ${c} (${n(counts.byLabel.get(c))})`]), [null, `Unlabelled (${n(counts.byLabel.get(null))})`]],
      filter.label,
    );
    const predictedClasses = [...new Set([...classes, ...counts.byPrediction.keys()])];
    this.predicted.set(
      [[undefined, `Predicted: any (${n(counts.predicted)})`], ...predictedClasses.map((c): [string, string] => [c, `Predicted: ${c} (${n(counts.byPrediction.get(c))})`])],
      filter.predicted,
    );
    this.agreement.set(
      [
        ['any', 'Correct or not'],
        ['correct', `✓ Correct (${n(counts.correct)})`],
        ['misclassified', `✗ Misclassified (${n(counts.misclassified)})`],
      ],
      filter.agreement,
    );
    this.flagged.set(
      [
        ['any', 'Flag: any'],
        ['flagged', `⚑ Flagged (${n(counts.flagged)})`],
        ['unflagged', `Not flagged (${n(counts.total - counts.flagged)})`],
      ],
      filter.flagged,
    );
    this.split.set([[undefined, 'Split: any'], ...[...counts.bySplit].sort().map(([s, c]): [string, string] => [s, `Split: ${s} (${n(c)})`])], filter.split);
    this.source.set([[undefined, 'Source: any'], ...[...counts.bySource].sort().map(([s, c]): [string, string] => [s, `Source: ${s} (${n(c)})`])], filter.source);
    this.split.node.hidden = counts.bySplit.size === 0;
    this.source.node.hidden = counts.bySource.size === 0;
    this.sort.set(
      [
        ['name', 'Sort: name'],
        ['confidence', 'Sort: confidence'],
        ['margin', 'Sort: margin'],
        ['issue', 'Sort: issue score'],
        ...(filter.finding !== undefined ? [['finding', `Sort: P(${filter.finding})`] as [SortKey, string]] : []),
      ],
      filter.sort,
    );
    this.findings.update(filter, findings, counts.positiveFindings);
    for (const control of this.classControls) control.hidden = findings.length > 0;
    // Without a model the prediction filters have nothing to work on: shown, but disabled, saying why.
    const noModel = counts.predicted === 0 && counts.correct + counts.misclassified === 0;
    for (const control of [this.predicted.node, this.agreement.node, this.changed, this.confidence.min, this.confidence.max]) {
      control.disabled = noModel;
      control.title = noModel ? 'No model has scored this dataset yet (X-Ray Curator: Retrain Model)' : (control.getAttribute('aria-label') ?? '');
    }
    this.changed.checked = filter.changedOnly;
    this.changedText.textContent = ` Δ Changed by last retrain (${n(counts.changed)})`;
    this.confidence.show(filter.confidenceMin, filter.confidenceMax);
    this.direction.textContent = filter.descending ? '↓ descending' : '↑ ascending';
    this.direction.setAttribute('aria-label', `Sort direction: ${filter.descending ? 'descending' : 'ascending'}`);
    if (this.search.value !== filter.search) this.search.value = filter.search;
  }
}
