// What the gallery says of a reading study, as plain functions (no DOM): an item's readers line, the status line's
// study part, and the queue banners' words.
import type { GalleryItem, ItemList, StudySummary } from '../../../shared/protocol';

/** "ann COVID · bob NORMAL", with the decision "⚖ COVID (dr)"; blinded: "read it to see the others". Empty outside a study. */
export function readersLine(item: GalleryItem): string {
  const reading = item.reading;
  if (!reading) return '';
  if (reading.blinded) return reading.toRead ? 'blind: yours to read' : 'blind';
  const parts = Object.entries(reading.readers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([reader, label]) => `${reader} ${label}`);
  if (reading.decision) parts.push(`⚖ ${reading.decision.label} (${reading.decision.by})`);
  for (const [finding, d] of Object.entries(reading.findingDecisions ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`⚖ ${finding} ${d.label} (${d.by})`);
  if (!reading.decision && reading.toRead) parts.push('yours to read');
  return parts.join(' · ');
}

/** The findings of an item its readers disagree on, undecided, in name order (multi-label). */
export function findingsToDecide(item: GalleryItem | undefined): string[] {
  return Object.keys(item?.reading?.findingReadings ?? {}).sort();
}

/** "Pneumonia: ana positive, ben negative" for each finding to decide. */
function findingDisagreements(item: GalleryItem): string[] {
  return findingsToDecide(item).map((finding) => {
    const votes = Object.entries(item.reading!.findingReadings![finding]).sort(([a], [b]) => (a < b ? -1 : 1));
    return `${finding}: ${votes.map(([reader, state]) => `${reader} ${state}`).join(', ')}`;
  });
}

/** The status line's part: who reads, how, and the two queues. */
export function studyStatus(study: StudySummary | undefined): string {
  if (!study) return '';
  const role = study.adjudicator === study.reader ? `adjudicating as ${study.reader}` : `reading as ${study.reader}`;
  const parts = [`${study.blind ? 'Blind ' : ''}${role}`, `${study.toRead.toLocaleString('en-US')} to read (r)`];
  if (study.adjudicator === undefined || study.adjudicator === study.reader) parts.push(`${study.toAdjudicate.toLocaleString('en-US')} to adjudicate (d)`);
  return parts.join(' · ');
}

/** The list banner's extra words for the study's queues: progress, the focused item's readings, the keys. */
export function studyListParts(list: ItemList, shown: readonly GalleryItem[], focused: GalleryItem | undefined): string[] {
  if (list.kind === 'read') {
    const read = shown.filter((item) => !item.reading?.toRead).length;
    return [`${read} of ${shown.length} read`, '1 … 9 your reading, the focus moves on'];
  }
  if (list.kind === 'adjudicate') {
    const decided = shown.filter((item) => item.reading?.decision).length;
    const open = focused?.reading && !focused.reading.blinded ? focused : undefined;
    if (open?.findings) {
      const decidedFindings = shown.filter((item) => item.reading && !item.reading.disagree).length;
      return [`${decidedFindings} of ${shown.length} settled`, ...findingDisagreements(open), 'p n m decide the finding ([ ] pick it; the reason is asked for)'];
    }
    return [`${decided} of ${shown.length} decided`, ...(open ? [readersLine(open)] : []), '1 … 9 decide (the reason is asked for)'];
  }
  return [];
}
