// The detail view's "Readers" section: each reader's class, the adjudicator's decision and its reason; in blind
// reading, only that the others' readings show once this reader has read the image.
import type { ItemReading } from '../../../shared/protocol';
import { heading, paragraph } from '../detailText';
import { element } from '../tile';

export function readingSection(reading: ItemReading | undefined): HTMLElement[] {
  if (!reading) return [];
  if (reading.blinded) return [heading('Readers'), paragraph('Blind reading: the other readers\' labels and the model show once you have read this image.')];
  const rows = Object.entries(reading.readers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const list = element('ul', 'readings');
  for (const [reader, label] of rows) {
    const row = element('li', '');
    row.textContent = `${reader}: ${label}`;
    list.append(row);
  }
  const parts: HTMLElement[] = [heading('Readers'), rows.length ? list : paragraph('Nobody has read this image yet.')];
  if (reading.decision) parts.push(paragraph(`Decided ${reading.decision.label} by ${reading.decision.by}: ${reading.decision.reason}`));
  else if (reading.disagree) parts.push(paragraph('The readers disagree: d shows the adjudication queue.'));
  if (reading.toRead) parts.push(paragraph('Yours to read.'));
  return parts;
}
