// DICOM tags as the manifest: the metadata a DICOM file with no manifest row brings into the dataset, in the
// manifest's column names, with the identifying values already pseudonymised (this is what gets cached).
import type { Identify } from './identifiers';
import type { DicomTags } from './tags';

/** What the scan keeps of a DICOM file's header (cached with the file facts: no raw identifiers in it). */
export interface DicomFacts {
  /** `patient_id` and `study` (salted pseudonyms unless the dataset asks for raw identifiers); `view`, `source`, `sex`, `age`, `modality`, `body_part`. */
  metadata: Record<string, string>;
  viewGroup?: 'frontal' | 'lateral';
  /** Why the object is not an image to curate (a report, a presentation state, ...). */
  notAnImage?: string;
}

/** The manifest fields of `tags`; `identify` writes the patient and study identifiers (see `identifiers.ts`). */
export async function dicomFacts(tags: DicomTags, identify: Identify): Promise<DicomFacts> {
  const metadata: Record<string, string> = {};
  if (tags.patientId) metadata.patient_id = await identify(tags.patientId);
  if (tags.study) metadata.study = await identify(tags.study);
  const plain: Array<[string, string | number | null]> = [
    ['view', tags.view],
    ['source', tags.source],
    ['sex', tags.sex],
    ['age', tags.age],
    ['modality', tags.modality],
    ['body_part', tags.bodyPart],
  ];
  for (const [column, value] of plain) if (value !== null && value !== '') metadata[column] = String(value);
  if (tags.burnedInAnnotation) metadata.burned_in_annotation = 'YES';
  const facts: DicomFacts = { metadata };
  if (tags.viewGroup) facts.viewGroup = tags.viewGroup;
  if (tags.notAnImage) facts.notAnImage = tags.notAnImage;
  return facts;
}
