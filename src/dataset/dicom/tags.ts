// The manifest fields a DICOM file carries (patient, study, view, source, sex, age, modality, body part), read from
// the header only, and whether the object is an image at all (reports and presentation states are not).
import { parseDicomFile } from './part10';
import { textReader } from './text';

export interface DicomTags {
  /** PatientID. Identifies the patient: hash it before writing it anywhere. */
  patientId: string | null;
  /** StudyInstanceUID (also identifying: hash it too before writing). */
  study: string | null;
  /** ViewPosition (PA, AP, LL, RL, ...), else the projection named in the series description or protocol name. */
  view: string | null;
  /** Frontal (PA/AP) or lateral, for a frontal-only filter; null when the view is unknown or oblique. */
  viewGroup: 'frontal' | 'lateral' | null;
  /** Manufacturer + InstitutionName, else StationName. */
  source: string | null;
  sex: 'M' | 'F' | 'O' | null;
  /** Age in years (fractional below 2 years): PatientAge, else study date minus birth date. */
  age: number | null;
  modality: string | null;
  bodyPart: string | null;
  /** BurnedInAnnotation (0028,0301): text such as names may be burned into the pixels. */
  burnedInAnnotation: boolean | null;
  sopClassUid: string | null;
  transferSyntaxUid: string;
  /** Why this object is not an image to curate (a report, a presentation state, no pixel data, ...), or null. */
  notAnImage: string | null;
}

/** Reads the manifest fields from the header of `content`, stopping at the pixel data. */
export function readDicomTags(content: Uint8Array): DicomTags {
  const { dataSet, transferSyntaxUid } = parseDicomFile(content, 'x7fe00010');
  const { text } = textReader(dataSet);
  const sopClassUid = text('x00080016') ?? text('x00020002') ?? null;
  const view = viewOf(text('x00185101'), [text('x0008103e'), text('x00181030'), text('x00081030')]);
  const manufacturerAndInstitution = [text('x00080070'), text('x00080080')].filter(Boolean).join(' / ');
  const sex = text('x00100040')?.toUpperCase();
  const burned = text('x00280301')?.toUpperCase();
  return {
    patientId: text('x00100020') ?? null,
    study: text('x0020000d') ?? null,
    view: view?.code ?? null,
    viewGroup: view?.group ?? null,
    source: manufacturerAndInstitution || text('x00081010') || null,
    sex: sex === 'M' || sex === 'F' || sex === 'O' ? sex : null,
    age: ageOf(text('x00101010'), text('x00100030'), text('x00080020') ?? text('x00080022') ?? text('x00080023')),
    modality: text('x00080060') ?? null,
    bodyPart: text('x00180015') ?? null,
    burnedInAnnotation: burned === 'YES' ? true : burned === 'NO' ? false : null,
    sopClassUid,
    transferSyntaxUid,
    notAnImage: notAnImage(sopClassUid, text('x00080060'), dataSet.elements['x7fe00010'] !== undefined),
  };
}

/** SOP class families that are never images (PS3.4 B.5). */
const NON_IMAGE_CLASSES: Array<[RegExp, string]> = [
  [/^1\.2\.840\.10008\.1\.3\.10$/, 'DICOMDIR (media directory)'],
  [/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.88\.59$/, 'key object selection'],
  [/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.88\./, 'structured report (SR)'],
  [/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.11\./, 'presentation state'],
  [/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.104\./, 'encapsulated document'],
  [/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.9\./, 'waveform'],
  [/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.66(\.|$)/, 'raw data or registration'],
  [/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.481\./, 'radiotherapy object'],
];
const NON_IMAGE_MODALITIES: Record<string, string> = { SR: 'structured report (SR)', PR: 'presentation state', KO: 'key object selection', DOC: 'encapsulated document', REG: 'raw data or registration' };

/**
 * Image modalities that are not projection radiographs (CR, DX, and unknown or secondary-capture ones are kept): a
 * CT slice or an ultrasound frame in a chest X-ray export is skipped, with its modality named.
 */
const OTHER_MODALITIES: ReadonlySet<string> = new Set(['CT', 'MR', 'US', 'NM', 'PT', 'MG', 'XA', 'RF', 'IO', 'PX', 'OP', 'OPT', 'ES', 'XC', 'SM', 'IVUS', 'OCT', 'BMD', 'TG']);

function notAnImage(sopClassUid: string | null, modality: string | undefined, hasPixels: boolean): string | null {
  const byClass = sopClassUid ? NON_IMAGE_CLASSES.find(([pattern]) => pattern.test(sopClassUid))?.[1] : undefined;
  if (byClass) return `not an image (${byClass})`;
  if (modality && NON_IMAGE_MODALITIES[modality]) return `not an image (${NON_IMAGE_MODALITIES[modality]})`;
  if (modality && OTHER_MODALITIES.has(modality)) return `modality ${modality}, not a radiograph`;
  return hasPixels ? null : 'not an image (no pixel data)';
}

const VIEW_WORDS: Array<[RegExp, string, 'frontal' | 'lateral']> = [
  [/\b(PA|P-A|POSTERO-?ANTERIOR)\b/, 'PA', 'frontal'],
  [/\b(AP|A-P|ANTERO-?POSTERIOR)\b/, 'AP', 'frontal'],
  [/\b(LL|LEFT LAT(ERAL)?)\b/, 'LL', 'lateral'],
  [/\b(RL|RIGHT LAT(ERAL)?)\b/, 'RL', 'lateral'],
  [/\b(LAT|LATERAL)\b/, 'LATERAL', 'lateral'],
];

function viewOf(viewPosition: string | undefined, descriptions: Array<string | undefined>): { code: string; group: 'frontal' | 'lateral' | null } | null {
  const position = viewPosition?.toUpperCase();
  if (position) return { code: position, group: VIEW_WORDS.find(([pattern]) => pattern.test(position))?.[2] ?? null };
  for (const description of descriptions) {
    const words = description?.toUpperCase().replace(/[_^]/g, ' ');
    const found = words && VIEW_WORDS.find(([pattern]) => pattern.test(words));
    if (found) return { code: found[1], group: found[2] };
  }
  return null;
}

const DAYS_PER: Record<string, number> = { D: 1, W: 7, M: 365.25 / 12, Y: 365.25 };

/** Age in years: whole years from 2 up, two decimals below (infants). */
function ageOf(patientAge: string | undefined, birthDate: string | undefined, studyDate: string | undefined): number | null {
  const match = patientAge?.match(/^(\d{1,3})\s*([DWMY])?$/i);
  let days: number | null = null;
  if (match) days = Number(match[1]) * DAYS_PER[(match[2] ?? 'Y').toUpperCase()];
  else {
    const birth = parseDate(birthDate);
    const study = parseDate(studyDate);
    if (birth !== null && study !== null && study >= birth) days = (study - birth) / 86_400_000;
  }
  if (days === null) return null;
  const years = days / 365.25;
  return years >= 2 ? Math.floor(years + 1e-9) : Math.round(years * 100) / 100;
}

function parseDate(value: string | undefined): number | null {
  const match = value?.match(/^(\d{4})\.?(\d{2})\.?(\d{2})/); // DA is YYYYMMDD; ACR-NEMA wrote YYYY.MM.DD
  if (!match) return null;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(time) ? null : time;
}
