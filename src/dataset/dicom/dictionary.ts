// Names and VRs of DICOM attributes, from the data dictionary dcmjs ships (PS3.6), loaded on first use.

export interface DictionaryEntry {
  /** Attribute keyword, e.g. PatientName; 'PrivateCreator'/'PrivateTag' for private attributes. */
  keyword: string;
  /** Value representation; ambiguous ones resolved to the usual choice (US or SS → US, OB or OW → OW). */
  vr: string;
}

interface DcmjsEntry {
  vr: string;
  name: string;
}

let dictionary: Record<string, DcmjsEntry | undefined> | undefined;

/** Ambiguous VRs as dcmjs writes them (lower case), to the VR used when the file does not say. */
const AMBIGUOUS: Record<string, string> = { ox: 'OW', xs: 'US', lt: 'US' };

/** The entry of tag `xGGGGEEEE` (dicom-parser's notation). */
export function lookUpTag(tag: string): DictionaryEntry {
  const group = parseInt(tag.slice(1, 5), 16);
  const element = parseInt(tag.slice(5, 9), 16);
  if (group % 2 === 1) return { keyword: element >= 0x10 && element <= 0xff ? 'PrivateCreator' : 'PrivateTag', vr: element >= 0x10 && element <= 0xff ? 'LO' : 'UN' };
  if (element === 0) return { keyword: 'GroupLength', vr: 'UL' };
  dictionary ??= (require('dcmjs') as { data: { DicomMetaDictionary: { dictionary: Record<string, DcmjsEntry | undefined> } } }).data.DicomMetaDictionary.dictionary;
  const key = `(${tag.slice(1, 5)},${tag.slice(5, 9)})`.toUpperCase();
  const entry = dictionary[key];
  if (!entry) return { keyword: 'Unknown', vr: 'UN' };
  return { keyword: entry.name.replace(/^RETIRED_/, ''), vr: AMBIGUOUS[entry.vr] ?? entry.vr };
}
