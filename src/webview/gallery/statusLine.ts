// Small pieces of the gallery page with no state of their own: the counts line and the per-frame batching of
// thumbnail requests.
import type { DatasetSummary } from '../../shared/protocol';
import type { FacetCounts } from './facets';
import { studyStatus } from './readers/readingText';

export interface StatusFacts {
  shown: number;
  received: number;
  /** What is still loading or being scanned, in words; none when everything is there. */
  loading: string | undefined;
  selected: number;
  dataset: DatasetSummary;
  counts: FacetCounts;
  editable: boolean;
  pending: number;
}

/** The counts line under the title: `Showing N of M · … · COVID 502 · NORMAL 500 · …`. */
export function statusLine(facts: StatusFacts): string {
  const { dataset, counts } = facts;
  const parts = [`Showing ${facts.shown.toLocaleString('en-US')} of ${facts.received.toLocaleString('en-US')}`];
  if (facts.loading) parts.push(facts.loading);
  if (facts.selected) parts.push(`${facts.selected.toLocaleString('en-US')} selected`);
  const classCounts = Object.entries(dataset.counts).map(([name, count]) => `${name} ${count}`);
  if (classCounts.length) parts.push(classCounts.join(' · '));
  // Patient-grouped data (DICOM's PatientID, a manifest's patient_id): how many patients the images come from.
  if (counts.patients) parts.push(`${counts.patients.toLocaleString('en-US')} patient${counts.patients === 1 ? '' : 's'}`);
  if (dataset.model) parts.push(`model ${dataset.model}: ${counts.misclassified} misclassified`);
  if (dataset.study) parts.push(studyStatus(dataset.study));
  if (!facts.editable) parts.push('read-only (Restricted Mode)');
  if (facts.pending) parts.push('saving…');
  return parts.join(' · ');
}

/** Collects ids during a frame and hands them over once, at the next animation frame. */
export function batchPerFrame(send: (ids: string[]) => void): (id: string) => void {
  const wanted = new Set<string>();
  return (id) => {
    if (wanted.size === 0) {
      requestAnimationFrame(() => {
        send([...wanted]);
        wanted.clear();
      });
    }
    wanted.add(id);
  };
}
