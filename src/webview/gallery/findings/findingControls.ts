// The finding filter's controls in the filter bar of a multi-label gallery: which finding, which state, and the
// range of the model's probability for it. Hidden on single-label datasets.
import { Choice } from '../filterBar';
import type { FilterState } from '../filters';
import { element } from '../tile';
import type { FindingStateFilter } from './findingFilter';
import { percentRange } from '../percentRange';
import type { PercentRange } from '../percentRange';

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
  private readonly range: PercentRange;

  constructor(set: (patch: Partial<FilterState>) => void) {
    this.finding = new Choice('Filter by finding', (finding) => set({ finding }));
    this.state = new Choice('Finding label or agreement', (findingState) => set({ findingState }));
    this.range = percentRange('P ', 'finding probability', "Range of the findings model's probability for the finding, in %", (findingMin, findingMax) => set({ findingMin, findingMax }));
    this.root.append(this.finding.node, this.state.node, this.range.root);
  }

  /** `positives`: items labelled positive per finding, over the whole dataset. */
  update(filter: FilterState, findings: readonly string[], positives: ReadonlyMap<string, number>): void {
    this.root.hidden = findings.length === 0;
    if (this.root.hidden) return;
    const n = (count: number | undefined): string => (count ?? 0).toLocaleString('en-US');
    this.finding.set([[undefined, 'Finding: any'], ...findings.map((f): [string, string] => [f, `Finding: ${f} (${n(positives.get(f))} positive)`])], filter.finding);
    this.state.set(Object.entries(STATE_TEXT) as [FindingStateFilter, string][], filter.findingState);
    const none = filter.finding === undefined;
    for (const control of [this.state.node, this.range.min, this.range.max]) {
      control.disabled = none;
      control.title = none ? 'Pick a finding first' : (control.getAttribute('aria-label') ?? '');
    }
    this.range.show(filter.findingMin, filter.findingMax);
  }
}
