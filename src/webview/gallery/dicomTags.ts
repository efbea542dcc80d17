// The detail view's list of a DICOM file's tags. Names and values go in through `textContent`, never as HTML;
// identifying values never reach the webview (the host sends null for them), so they show as hidden.
import type { DicomTagRow } from '../../shared/protocol';
import { element } from './tile';

export const HIDDEN_VALUE = '(hidden: identifying)';

/** What one row shows: the keyword indented by its sequence depth, and the value or why it is hidden. */
export function tagText(row: DicomTagRow): { name: string; value: string } {
  return { name: `${'  '.repeat(row.depth)}${row.keyword} ${row.tag}`, value: row.value ?? HIDDEN_VALUE };
}

/** The tag table; identifying rows carry the class `phi`. */
export function tagTable(rows: readonly DicomTagRow[]): HTMLElement {
  const table = element('table', 'facts dicom-tags');
  for (const row of rows) {
    const { name, value } = tagText(row);
    const tr = table.insertRow();
    tr.dataset.keyword = row.keyword;
    if (row.value === null) tr.className = 'phi';
    const th = document.createElement('th');
    th.textContent = name;
    th.title = `VR ${row.vr}`;
    const td = tr.insertCell();
    td.textContent = value;
    tr.prepend(th);
  }
  return table;
}
