// Text values in the data set's Specific Character Set (0008,0005), so names and institutions with accents or
// non-Latin scripts read as written. Code extensions (ISO 2022 escapes) fall back to Latin-1.
import type * as dicomParser from 'dicom-parser';

/** DICOM defined terms (PS3.3 C.12.1.1.2) to WHATWG encoding labels. */
const ENCODINGS: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** VRs whose values are character strings (PS3.5 6.2). */
export const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
/** String VRs that may hold non-ASCII text (the others are ASCII by definition). */
const TEXT_VRS = new Set(['LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

export interface TextReader {
  /** The whole value of `tag` (all values, backslash-separated), trimmed; undefined when absent or empty. */
  text(tag: string): string | undefined;
}

export function textReader(dataSet: dicomParser.DataSet, inherited?: TextDecoder): TextReader {
  const decoder = charsetDecoder(dataSet) ?? inherited ?? latin1;
  return {
    text(tag) {
      const element = dataSet.elements[tag];
      if (!element || element.length === 0) return undefined;
      const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
      const useDecoder = element.vr === undefined || TEXT_VRS.has(element.vr) ? decoder : latin1;
      // Values are padded with spaces (and UIs with NUL) to an even length.
      const value = useDecoder.decode(bytes).replace(/[\0\s]+$/, '').replace(/^\s+/, '');
      return value === '' ? undefined : value;
    },
  };
}

/** The decoder the data set declares (undefined when it declares none, so items inherit their parent's). */
export function charsetDecoder(dataSet: dicomParser.DataSet): TextDecoder | undefined {
  const declared = dataSet.string('x00080005');
  if (declared === undefined) return undefined;
  // Several values mean code extensions; the first (default repertoire) is the best single guess.
  const first = declared.split('\\').map((term) => term.trim()).find((term) => term !== '') ?? 'ISO_IR 6';
  const label = ENCODINGS[first.replace(/^ISO 2022 IR /, 'ISO_IR ')];
  try {
    return label ? new TextDecoder(label) : latin1;
  } catch {
    return latin1; // an encoding this Node build lacks
  }
}

const latin1 = new TextDecoder('latin1');
