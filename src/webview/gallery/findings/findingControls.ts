// The finding filter's controls in the filter bar of a multi-label gallery: which finding, which state, and the
// range of the model's probability for it. Hidden on single-label datasets.
import { Choice } from '../filterBar';
import type { FilterState } from '../filters';
import { element } from '../tile';
import type { FindingStateFilter } from './findingFilter';

const STATE_TEXT: Record<FindingStateFilter, string> = {
  any: 'Finding label: any',
  positive: 'Labelled positive',
  uncertain: 'Labelled uncertain (to resolve)',
  negative: 'Labelled negative',
  disagreeing: '✗ Model disagrees',
  agreeing: '✓ Model agrees',
};

export class FindingControls {
  readonly root = element('span', 'finding-filter');
  private readonly finding: Choice<string | undefined>;
  private readonly state: Choice<FindingStateFilter>;
  private readonly min = document.createElement('input');
  private readonly max = document.createElement('input');

  constructor(set: (patch: Partial<FilterState>) => void) {
    this.finding = new Choice('Filter by finding', (finding) => set({ finding }));
    this.state = new Choice('Finding label or agreement', (findingState) => set({ findingState }));
    const range = element('label', 'range');
    range.title = "Range of the findings model's probability for the finding, in %";
    for (const input of [this.min, this.max]) {
      Object.assign(input, { type: 'number', min: '0', max: '100', step: '5' });
      input.addEventListener('change', () => set({ findingMin: percent(this.min, 0), findingMax: percent(this.max, 1) }));
    }
    this.min.setAttribute('aria-label', 'Lowest finding probability, %');
    this.max.setAttribute('aria-label', 'Highest finding probability, %');
    range.append('P ', this.min, '–', this.max, '%');
    this.root.append(this.finding.node, this.state.node, range);
  }

  /** `positives`: items labelled positive per finding, over the whole dataset. */
  update(filter: FilterState, findings: readonly string[], positives: ReadonlyMap<string, number>): void {
    this.root.hidden = findings.length === 0;
    if (this.root.hidden) return;
    const n = (count: number | undefined): string => (count ?? 0).toLocaleString('en-US');
    this.finding.set([[undefined, 'Finding: any'], ...findings.map((f): [string, string] => [f, `Finding: ${f} (${n(positives.get(f))} positive)`])], filter.finding);
    this.state.set(Object.entries(STATE_TEXT) as [FindingStateFilter, string][], filter.findingState);
    const none = filter.finding === undefined;
    for (const control of [this.state.node, this.min, this.max]) {
      control.disabled = none;
      control.title = none ? 'Pick a finding first' : (control.getAttribute('aria-label') ?? '');
    }
    this.min.value = String(Math.round(filter.findingMin * 100));
    this.max.value = String(Math.round(filter.findingMax * 100));
  }
}

export function percent(input: HTMLInputElement, fallback: number): number {
  const value = Number(input.value);
  return Number.isFinite(value) && input.value !== '' ? Math.min(1, Math.max(0, value / 100)) : fallback;
}
