// Lookup tables as DICOM stores them in the Modality LUT and VOI LUT sequences (PS3.3 C.11.1, C.11.2).
import type * as dicomParser from 'dicom-parser';

export interface Lut {
  /** Input value mapped to the first entry; inputs below map to the first entry, above to the last. */
  first: number;
  /** Bits per output entry: outputs range over 0 … 2^bits - 1. */
  bits: number;
  data: Uint16Array;
  explanation?: string;
}

/**
 * Reads the first item's LUT of the sequence `tag`, or undefined when there is none. `signedInput`: read the
 * first-mapped value as signed when the descriptor's VR is not in the file (implicit VR).
 */
export function readLutSequence(dataSet: dicomParser.DataSet, tag: string, signedInput: boolean): Lut | undefined {
  const item = dataSet.elements[tag]?.items?.[0]?.dataSet;
  if (!item) return undefined;
  const descriptor = item.elements['x00283002'];
  const dataElement = item.elements['x00283006'];
  if (!descriptor || !dataElement) return undefined;
  const signed = descriptor.vr ? descriptor.vr === 'SS' : signedInput;
  const entries = item.uint16('x00283002', 0) || 65536; // 0 means 2^16 entries
  const first = (signed ? item.int16('x00283002', 1) : item.uint16('x00283002', 1)) ?? 0;
  const bits = item.uint16('x00283002', 2) ?? 16;
  const data = new Uint16Array(entries);
  const parser = item.byteArrayParser;
  // Entries take 16 bits each; a few old writers pack 8-bit entries one per byte.
  const packed = dataElement.length === entries;
  for (let i = 0; i < entries; i++) {
    const at = dataElement.dataOffset + (packed ? i : 2 * i);
    if (at >= dataElement.dataOffset + dataElement.length) break;
    data[i] = packed ? item.byteArray[at] : parser.readUint16(item.byteArray, at);
  }
  return { first, bits, data, explanation: item.string('x00283003') };
}

/** The LUT's output for `value`. */
export function lookUp(lut: Lut, value: number): number {
  const index = Math.round(value) - lut.first;
  return lut.data[index <= 0 ? 0 : index >= lut.data.length ? lut.data.length - 1 : index];
}
