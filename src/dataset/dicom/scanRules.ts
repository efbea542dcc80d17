// What the dataset scan does differently for DICOM as archives export it: objects that are not images are
// skipped with the reason, lateral views on request, and top-level patient folders are not taken for classes.
import type { FileFacts } from '../fileCache';
import { folderLabel } from '../safePath';
import type { DatasetItem } from '../types';

/** Which views to keep: all (default), or only frontal ones (PA/AP; unknown views are kept). */
export type ViewFilter = 'all' | 'frontal';

/** Why a DICOM object is not an item at all (a report, a presentation state, a CT slice, ...), or null. */
export function notAnImageReason(facts: Partial<FileFacts> | null): string | null {
  const reason = facts?.dicom?.notAnImage;
  return reason ? `${reason}: skipped` : null;
}

/** Lateral views in manifests and label files: DICOM codes, CheXpert's "Lateral", PadChest's "L". */
const LATERAL_VIEW = /^(LL|RL|LAT|LATERAL|L)$/i;

/** True when the item is a lateral view: told by its DICOM header, or by a `view` from a manifest or label file. */
export function isLateral(item: DatasetItem, facts: Partial<FileFacts> | null): boolean {
  const view = item.metadata.view?.trim();
  const dicom = facts?.dicom;
  if (dicom?.viewGroup && view === dicom.metadata.view) return dicom.viewGroup === 'lateral';
  return view !== undefined && LATERAL_VIEW.test(view);
}

/**
 * True when the top-level folders are an archive's patient folders, not classes: every image under them is DICOM,
 * and either the root holds a DICOMDIR (a media export) or there are several folders, each of one patient of its own.
 */
export function isPatientFolderLayout(files: ReadonlyArray<{ id: string; facts: Partial<FileFacts> | null }>, rootHasDicomdir: boolean): boolean {
  const patientsByFolder = new Map<string, Set<string>>();
  for (const { id, facts } of files) {
    const folder = folderLabel(id);
    if (folder === null || !facts || (facts.error && !facts.dicom)) continue; // unreadable: says nothing
    if (!facts.dicom) return false;
    const patient = facts.dicom.metadata.patient_id;
    if (!patientsByFolder.has(folder)) patientsByFolder.set(folder, new Set());
    if (patient) patientsByFolder.get(folder)!.add(patient);
    else if (!rootHasDicomdir) return false;
  }
  if (patientsByFolder.size === 0) return false;
  if (rootHasDicomdir) return true;
  const patients = [...patientsByFolder.values()];
  return patients.length >= 2 && patients.every((set) => set.size === 1) && new Set(patients.map((set) => [...set][0])).size === patients.length;
}
