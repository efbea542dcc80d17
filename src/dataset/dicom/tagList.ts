// Every attribute of a DICOM file as rows for the detail view, each marked when it identifies the patient.
import type * as dicomParser from 'dicom-parser';
import { lookUpTag } from './dictionary';
import { parseDicomFile } from './part10';
import { isPhi } from './phi';
import { charsetDecoder, STRING_VRS, textReader } from './text';
import type { TextReader } from './text';

export interface DicomTagEntry {
  /** '(0010,0010)' */
  tag: string;
  /** 'PatientName'; 'PrivateTag' / 'PrivateCreator' / 'Unknown' when the dictionary has none. */
  keyword: string;
  vr: string;
  /** Display text: values joined by '\', cut at 256 characters; '<N bytes>' for binary, '<N items>' for sequences. */
  value: string;
  /** Nesting depth in sequences: 0 at the top level, items' attributes one deeper. */
  depth: number;
  /** Identifies the patient (names, IDs, dates, addresses, UIDs, private data, ...): keep it out of written files. */
  phi: boolean;
}

const MAX_VALUE_LENGTH = 256;
const MAX_NUMBERS = 16;

/** Lists the attributes of `content` in file order, sequences flattened (pixel data is not read). */
export function listDicomTags(content: Uint8Array): DicomTagEntry[] {
  const { dataSet } = parseDicomFile(content);
  const rows: DicomTagEntry[] = [];
  addRows(dataSet, 0, false, undefined, rows);
  return rows;
}

function addRows(dataSet: dicomParser.DataSet, depth: number, insidePhi: boolean, parentDecoder: TextDecoder | undefined, rows: DicomTagEntry[]): void {
  const decoder = charsetDecoder(dataSet) ?? parentDecoder;
  const reader = textReader(dataSet, decoder);
  for (const key of Object.keys(dataSet.elements).sort()) {
    const element = dataSet.elements[key];
    const entry = lookUpTag(key);
    // Implicit VR files carry no VR, and converters write UN for attributes the dictionary knows.
    const vr = element.vr && element.vr !== 'UN' ? element.vr : element.items ? 'SQ' : entry.vr;
    const phi = insidePhi || isPhi(parseInt(key.slice(1, 5), 16), entry.keyword, vr);
    rows.push({ tag: `(${key.slice(1, 5)},${key.slice(5, 9)})`.toUpperCase(), keyword: entry.keyword, vr, value: displayValue(dataSet, element, vr, reader), depth, phi });
    for (const item of element.items ?? []) if (item.dataSet) addRows(item.dataSet, depth + 1, phi, decoder, rows);
  }
}

const NUMBER_READERS: Record<string, { size: number; read: (dataSet: dicomParser.DataSet, tag: string, index: number) => number | undefined }> = {
  US: { size: 2, read: (d, t, i) => d.uint16(t, i) },
  SS: { size: 2, read: (d, t, i) => d.int16(t, i) },
  UL: { size: 4, read: (d, t, i) => d.uint32(t, i) },
  SL: { size: 4, read: (d, t, i) => d.int32(t, i) },
  FL: { size: 4, read: (d, t, i) => d.float(t, i) },
  FD: { size: 8, read: (d, t, i) => d.double(t, i) },
};

function displayValue(dataSet: dicomParser.DataSet, element: dicomParser.Element, vr: string, reader: TextReader): string {
  if (element.items) return `<${element.items.length} item${element.items.length === 1 ? '' : 's'}>`;
  if (element.encapsulatedPixelData) return `<encapsulated, ${element.fragments?.length ?? 0} fragments>`;
  if (STRING_VRS.has(vr)) return cut(reader.text(element.tag) ?? '');
  if (vr === 'AT') return dataSet.attributeTag(element.tag) ?? '';
  const numbers = NUMBER_READERS[vr];
  if (numbers && element.length % numbers.size === 0) {
    const count = element.length / numbers.size;
    const values = Array.from({ length: Math.min(count, MAX_NUMBERS) }, (_, i) => numbers.read(dataSet, element.tag, i));
    return values.join('\\') + (count > MAX_NUMBERS ? `\\… (${count} values)` : '');
  }
  return `<${element.length} bytes>`;
}

function cut(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}
