// Reading a DICOM file's data set with dicom-parser, whatever the file looks like at its start: a standard Part 10
// file (128-byte preamble, "DICM", meta header), a meta header without the preamble, or a bare data set with no
// meta header at all (old writers, PACS exports), whose encoding is then told from its first element.
import * as zlib from 'node:zlib';
import * as dicomParser from 'dicom-parser';
import { EXPLICIT_LITTLE_ENDIAN, IMPLICIT_LITTLE_ENDIAN, transferSyntax } from './transferSyntax';

export interface ParsedDicom {
  dataSet: dicomParser.DataSet;
  /** From the meta header, or told from the first element of a bare data set. */
  transferSyntaxUid: string;
}

const PREAMBLE = 128;
const MAGIC = [0x44, 0x49, 0x43, 0x4d]; // "DICM"

/**
 * True when `head` (the first 132 bytes or more) starts a DICOM file: "DICM" after the preamble, a meta header
 * without the preamble, or a plausible bare data set starting in group 0008.
 */
export function looksLikeDicom(head: Uint8Array): boolean {
  return startLayout(head) !== null;
}

/** Parses `content`, up to and including the element `untilTag` (e.g. 'x7fe00010') when given. */
export function parseDicomFile(content: Uint8Array, untilTag?: string): ParsedDicom {
  const layout = startLayout(content);
  if (!layout) throw new Error('not a DICOM file (no "DICM" marker at byte 128 and no recognisable data set start)');
  let bytes = content;
  const options: dicomParser.ParseDicomOptions = { untilTag, inflater: inflate as unknown as dicomParser.ParseDicomOptions['inflater'] };
  if (layout.kind === 'no-preamble') bytes = withPreamble(content, layout.hasMagic);
  if (layout.kind === 'bare-dataset') options.TransferSyntaxUID = layout.transferSyntaxUid;
  let dataSet: dicomParser.DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, options);
  } catch (error) {
    // A syntax the parser cannot even walk (a private one, say) is named, rather than reported as damage.
    const declared = layout.kind === 'bare-dataset' ? undefined : metaTransferSyntax(bytes);
    if (declared) transferSyntax(declared);
    const message = parserMessage(error);
    if (/buffer overrun|end of file/i.test(message)) throw new Error(`DICOM file is truncated (${message})`);
    throw new Error(`unreadable DICOM file: ${message}`);
  }
  const transferSyntaxUid = layout.kind === 'bare-dataset' ? layout.transferSyntaxUid : dataSet.string('x00020010')?.replace(/\0/g, '').trim();
  // A meta header without a transfer syntax: PS3.10 makes implicit little endian the default encoding.
  return { dataSet, transferSyntaxUid: transferSyntaxUid || IMPLICIT_LITTLE_ENDIAN };
}

type Layout = { kind: 'part10' } | { kind: 'no-preamble'; hasMagic: boolean } | { kind: 'bare-dataset'; transferSyntaxUid: string };

function startLayout(head: Uint8Array): Layout | null {
  if (magicAt(head, PREAMBLE)) return { kind: 'part10' };
  if (magicAt(head, 0)) return { kind: 'no-preamble', hasMagic: true };
  const first = readStart(head);
  if (!first) return null;
  if (first.group === 0x0002 && first.explicit) return { kind: 'no-preamble', hasMagic: false };
  if (first.group === 0x0008) return { kind: 'bare-dataset', transferSyntaxUid: first.explicit ? EXPLICIT_LITTLE_ENDIAN : IMPLICIT_LITTLE_ENDIAN };
  return null;
}

/** VRs whose explicit-VR header has a 4-byte length after 2 reserved bytes (PS3.5 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const SHORT_VRS = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST', 'TM', 'UI', 'UL', 'US']);

/**
 * Reads the first elements of a little-endian data set without a preamble and checks they are plausible: one
 * group (0002 or 0008), element numbers ascending, short even lengths, valid VRs when explicit. Returns the group
 * and whether the VRs are explicit, or null when the bytes do not look like DICOM.
 */
function readStart(head: Uint8Array): { group: number; explicit: boolean } | null {
  if (head.length < 12) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  const group = view.getUint16(0, true);
  if (group !== 0x0002 && group !== 0x0008) return null;
  const explicit = SHORT_VRS.has(vrAt(head, 4)) || LONG_VRS.has(vrAt(head, 4));
  let position = 0;
  let previous = -1;
  for (let count = 0; position + 8 <= head.length && count < 4; count++) {
    if (view.getUint16(position, true) !== group) return count > 0 ? { group, explicit } : null;
    const element = view.getUint16(position + 2, true);
    if (element <= previous) return null;
    previous = element;
    let length: number;
    let headerLength = 8;
    if (explicit) {
      const vr = vrAt(head, position + 4);
      if (LONG_VRS.has(vr)) {
        if (position + 12 > head.length) break;
        length = view.getUint32(position + 8, true);
        headerLength = 12;
      } else if (SHORT_VRS.has(vr)) length = view.getUint16(position + 6, true);
      else return null;
    } else length = view.getUint32(position + 4, true);
    if (length % 2 !== 0 || length > 1024) return count > 0 ? { group, explicit } : null;
    position += headerLength + length;
  }
  return { group, explicit };
}

function vrAt(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1]);
}

function magicAt(bytes: Uint8Array, offset: number): boolean {
  return bytes.length >= offset + 4 && MAGIC.every((byte, i) => bytes[offset + i] === byte);
}

/** The file as dicom-parser wants it: preamble and "DICM" in front of the meta header. */
function withPreamble(content: Uint8Array, hasMagic: boolean): Uint8Array {
  const prefix = hasMagic ? PREAMBLE : PREAMBLE + 4;
  const bytes = new Uint8Array(prefix + content.length);
  if (!hasMagic) bytes.set(MAGIC, PREAMBLE);
  bytes.set(content, prefix);
  return bytes;
}

/** Deflated transfer syntax: everything after the meta header is one raw deflate stream (PS3.5 A.5). */
function inflate(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = zlib.inflateRawSync(bytes.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position));
  full.set(inflated, position);
  return full;
}

function metaTransferSyntax(bytes: Uint8Array): string | undefined {
  try {
    return dicomParser.readPart10Header(bytes).string('x00020010')?.replace(/\0/g, '').trim();
  } catch {
    return undefined;
  }
}

/** dicom-parser throws strings, Errors, and `{ exception, dataSet }` objects. */
function parserMessage(error: unknown): string {
  const inner = error && typeof error === 'object' && 'exception' in error ? (error as { exception: unknown }).exception : error;
  return inner instanceof Error ? inner.message : String(inner);
}
