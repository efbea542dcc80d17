// The detail view's findings list on a multi-label item: every finding of the dataset with its label, which the
// user can set here, and the findings model's probability against its threshold.
import type { DetailReply, FindingLabel } from '../../../shared/protocol';
import { element } from '../tile';

const STATES: readonly FindingLabel[] = ['positive', 'negative', 'uncertain', 'unmentioned'];

export function findingsSection(rows: NonNullable<DetailReply['findings']>, set: (finding: string, state: FindingLabel) => void): HTMLElement[] {
  const heading = element('h3', '');
  heading.textContent = 'Findings';
  const table = element('table', 'findings');
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.dataset.finding = row.finding;
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = row.finding;
    const state = document.createElement('select');
    state.setAttribute('aria-label', `${row.finding}: label`);
    for (const value of STATES) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value;
      state.append(option);
    }
    state.value = row.state;
    state.addEventListener('change', () => set(row.finding, state.value as FindingLabel));
    const cell = document.createElement('td');
    cell.append(state);
    const model = document.createElement('td');
    model.className = 'value';
    model.textContent = row.probability === undefined ? '–' : `${(row.probability * 100).toFixed(1)}%${row.threshold === undefined || row.threshold === null ? '' : ` (threshold ${(row.threshold * 100).toFixed(0)}%)`}`;
    const called = row.probability !== undefined && row.threshold !== undefined && row.threshold !== null ? row.probability >= row.threshold : undefined;
    const verdict = document.createElement('td');
    if (called !== undefined && row.state !== 'uncertain') {
      const agrees = called === (row.state === 'positive');
      verdict.textContent = agrees ? '✓' : '✗';
      verdict.className = agrees ? 'agree' : 'disagree';
      verdict.title = agrees ? 'the model agrees with the label' : 'the model disagrees with the label';
    } else if (row.state === 'uncertain') {
      verdict.textContent = '?';
      verdict.title = 'uncertain: to resolve';
    }
    tr.append(name, cell, model, verdict);
    table.append(tr);
  }
  return [heading, table];
}
