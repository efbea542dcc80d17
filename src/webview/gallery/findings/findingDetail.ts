// The detail view's findings list on a multi-label item: every finding of the dataset with its label, which the
// user can set here, the findings model's probability against its threshold, and a button for its Grad-CAM.
import type { DetailReply, FindingLabel } from '../../../shared/protocol';
import { element } from '../tile';

const STATES: readonly FindingLabel[] = ['positive', 'negative', 'uncertain', 'unmentioned'];

type FindingRows = NonNullable<DetailReply['findings']>;

export interface FindingActions {
  set: (finding: string, state: FindingLabel) => void;
  /** Shows the Grad-CAM of a finding the model scored. */
  explain: (finding: string) => void;
}

export function findingsSection(rows: FindingRows, { set, explain }: FindingActions): HTMLElement[] {
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
    // The threshold goes in the hover: the side panel has room for one number per row.
    model.textContent = row.probability === undefined ? '–' : `${(row.probability * 100).toFixed(1)}%`;
    if (row.probability !== undefined && row.threshold !== undefined && row.threshold !== null) model.title = `model ${(row.probability * 100).toFixed(1)}%, called positive at ${(row.threshold * 100).toFixed(0)}%`;
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
    const evidence = document.createElement('td');
    if (row.probability !== undefined) {
      const show = document.createElement('button');
      show.className = 'explain';
      show.textContent = 'CAM';
      show.title = `Where the findings model sees ${row.finding}`;
      show.setAttribute('aria-label', `Grad-CAM of ${row.finding}`);
      show.setAttribute('aria-pressed', 'false');
      show.addEventListener('click', () => explain(row.finding));
      evidence.append(show);
    }
    tr.append(name, cell, model, verdict, evidence);
    table.append(tr);
  }
  return [heading, table];
}

/** The finding explained when none was picked: the one the model scores highest (undefined when it scored none). */
export function explainedByDefault(rows: FindingRows): string | undefined {
  let best: FindingRows[number] | undefined;
  for (const row of rows) if (row.probability !== undefined && (best === undefined || row.probability > best.probability!)) best = row;
  return best?.finding;
}

/** Presses the Grad-CAM button of the finding shown (and releases the others). */
export function markExplained(container: HTMLElement, finding: string | undefined): void {
  for (const button of container.querySelectorAll<HTMLButtonElement>('tr[data-finding] button.explain')) {
    button.setAttribute('aria-pressed', String(button.closest('tr')?.dataset.finding === finding));
  }
}
