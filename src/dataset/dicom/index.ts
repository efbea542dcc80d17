// DICOM images as hospital archives write them. Pure functions on a file's bytes (no vscode, no file system):
//
//   looksLikeDicom(head)       content sniffing: "DICM" at 128, a meta header without preamble, or a bare data set
//                              starting in group 0008 (files with no extension, ACR-NEMA-style exports).
//   readDicomSize(content)     rows × columns from the header, before any pixel is decoded (pixel-limit check).
//   decodeDicom(content)       the first frame of a greyscale image → `DicomImage`: full-range modality values
//                              (Float32, NaN = padding) plus the 8-bit grey of its default VOI, from ONE decode.
//                              Transfer syntaxes: implicit/explicit little endian, explicit big endian, deflated,
//                              encapsulated uncompressed, JPEG baseline/extended (8/12-bit)/progressive/lossless
//                              (process 14, SV1), JPEG-LS lossless and near-lossless, JPEG 2000 lossless and lossy,
//                              HTJ2K, RLE. Honours BitsStored/HighBit, signed pixels, Pixel Padding Value (and
//                              range), Modality LUT or rescale slope/intercept, window centre/width (all values,
//                              LINEAR, LINEAR_EXACT, SIGMOID) or the VOI LUT sequence, MONOCHROME1.
//   renderGrey(values, voi, inverted)
//                              re-renders the values with any VOI (one of `image.vois`, or a window the user drags).
//   decodeDicomGrey(content)   just the 8-bit grey (what the model input and the thumbnail are made from).
//   readDicomTags(content)     manifest fields from the header only: patient, study, view, source, sex, age,
//                              modality, body part, burned-in annotation, SOP class, and `notAnImage` (SR,
//                              presentation state, DICOMDIR, ... with the reason to skip it).
//   listDicomTags(content)     every attribute as display rows for the detail view, `phi` marking those that identify
//                              the patient (names, IDs, dates, addresses, UIDs, private tags).
//
// Errors are thrown as Error with a message naming the cause (transfer syntax, truncation, codec message).
// Codec WebAssembly loads lazily, once per thread, so all of this works inside worker threads.
export { decodeDicom, decodeDicomGrey, readDicomSize } from './decode';
export type { DicomGrey, DicomImage } from './decode';
export { looksLikeDicom } from './part10';
export { listDicomTags } from './tagList';
export type { DicomTagEntry } from './tagList';
export { readDicomTags } from './tags';
export type { DicomTags } from './tags';
export type { TransferSyntax } from './transferSyntax';
export { renderGrey } from './voi';
export type { Voi, VoiFunction } from './voi';
export type { Lut } from './lut';
