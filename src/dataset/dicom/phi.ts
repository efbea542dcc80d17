// Which attributes identify the patient (protected health information), after the DICOM Basic Application Level
// Confidentiality Profile (PS3.15 Table E.1-1) and HIPAA Safe Harbor: names, identifiers, addresses, telephone
// numbers, dates, free-text comments, instance UIDs and private attributes. The tool shows these in the detail view
// and must not write them into exports, reports or logs unless the user asks for it.

/** Patient-module attributes that do not identify a patient on their own (used for the manifest's sex/age). */
const PATIENT_NON_IDENTIFYING = new Set(['PatientSex', 'PatientAge', 'PatientSize', 'PatientWeight', 'PatientSexNeutered', 'PatientSpeciesDescription', 'PatientBreedDescription']);

/** Identifying attributes that the rules in `isPhi` do not catch by group, VR or keyword pattern. */
const IDENTIFYING = new Set([
  'AccessionNumber',
  'AdmissionID',
  'AdmittingDiagnosesDescription',
  'CassetteID',
  'CurrentPatientLocation',
  'DetectorID',
  'DeviceSerialNumber',
  'FillerOrderNumberImagingServiceRequest',
  'FrameOfReferenceUID',
  'GantryID',
  'GeneratorID',
  'InstanceCreatorUID',
  'IrradiationEventUID',
  'MediaStorageSOPInstanceUID',
  'PerformedProcedureStepID',
  'PlacerOrderNumberImagingServiceRequest',
  'PlateID',
  'ReasonForTheRequestedProcedure',
  'ReferencedSOPInstanceUID',
  'RequestedProcedureID',
  'ScheduledProcedureStepID',
  'SeriesInstanceUID',
  'ServiceEpisodeID',
  'SOPInstanceUID',
  'StudyID',
  'StudyInstanceUID',
]);

/** Keyword parts that always identify: addresses, contact details, birth data, free-text notes. */
const IDENTIFYING_PATTERN = /Address|Telephone|Telecom|PhoneNumber|Birth|Comments?$|Residence/;

/** True when the attribute with this group, keyword and VR identifies a patient. */
export function isPhi(group: number, keyword: string, vr: string): boolean {
  if (group % 2 === 1) return true; // private attributes: unknown content (PS3.15 removes them)
  if (vr === 'PN' || vr === 'DA' || vr === 'DT') return true; // every person name and date
  if (group === 0x0010) return !PATIENT_NON_IDENTIFYING.has(keyword);
  return IDENTIFYING.has(keyword) || IDENTIFYING_PATTERN.test(keyword);
}
