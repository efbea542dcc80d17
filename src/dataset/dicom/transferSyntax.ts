// The transfer syntaxes a chest X-ray archive writes, and which decoder reads each one's pixel data.

/** How a transfer syntax stores its pixels, which picks the decoder. */
export type PixelEncoding =
  | 'native' // uncompressed, byte order of the data set
  | 'jpeg' // JPEG processes 1, 2/4, 10/12 (8 and 12 bit) and 14 lossless: IJG libjpeg (dcmjs-codecs)
  | 'jpeg-ls' // CharLS
  | 'jpeg2000' // OpenJPEG
  | 'htj2k' // OpenJPH
  | 'rle' // DICOM RLE (dcmjs-codecs)
  | 'encapsulated-native'; // uncompressed frames in fragments (PS3.5 A.4.11)

export interface TransferSyntax {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  /** True when decoded pixels may differ from the ones encoded. */
  lossy: boolean;
  bigEndian: boolean;
}

const table: TransferSyntax[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', encoding: 'native', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoding: 'native', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', encoding: 'native', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian', encoding: 'native', lossy: false, bigEndian: true },
  { uid: '1.2.840.10008.1.2.1.98', name: 'Encapsulated Uncompressed Explicit VR Little Endian', encoding: 'encapsulated-native', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', encoding: 'jpeg', lossy: true, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', encoding: 'jpeg', lossy: true, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.55', name: 'JPEG Full Progression (Process 10 & 12)', encoding: 'jpeg', lossy: true, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless (Process 14)', encoding: 'jpeg', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless (Process 14, Selection Value 1)', encoding: 'jpeg', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoding: 'jpeg-ls', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', encoding: 'jpeg-ls', lossy: true, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Lossless', encoding: 'jpeg2000', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', encoding: 'jpeg2000', lossy: true, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.201', name: 'HTJ2K Lossless', encoding: 'htj2k', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.202', name: 'HTJ2K Lossless RPCL', encoding: 'htj2k', lossy: false, bigEndian: false },
  { uid: '1.2.840.10008.1.2.4.203', name: 'HTJ2K', encoding: 'htj2k', lossy: true, bigEndian: false },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoding: 'rle', lossy: false, bigEndian: false },
];

const byUid = new Map(table.map((syntax) => [syntax.uid, syntax]));

export const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** The transfer syntax of `uid`; throws, naming it, when its pixels cannot be decoded here (video, JPEG XL, ...). */
export function transferSyntax(uid: string): TransferSyntax {
  const found = byUid.get(uid);
  if (!found) throw new Error(`DICOM transfer syntax ${uid} is not supported (${describeUnsupported(uid)})`);
  return found;
}

const UNSUPPORTED: Array<[RegExp, string]> = [
  [/^1\.2\.840\.10008\.1\.2\.4\.10\d$/, 'MPEG/HEVC video'],
  [/^1\.2\.840\.10008\.1\.2\.4\.11\d$/, 'JPEG XL'],
  [/^1\.2\.840\.10008\.1\.2\.4\.9[23]$/, 'multi-component JPEG 2000'],
];

function describeUnsupported(uid: string): string {
  return UNSUPPORTED.find(([pattern]) => pattern.test(uid))?.[1] ?? 'unknown or retired encoding';
}
