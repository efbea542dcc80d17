// Decoders of compressed DICOM frames, each a library compiled to WebAssembly:
//   JPEG (baseline 8-bit, extended 12-bit, progressive, lossless process 14 / SV1) and RLE: IJG libjpeg 8/12/16-bit
//     and the RLE decoder of dcmjs-codecs (measured faster than libjpeg-turbo's WASM build and pure-JS lossless
//     decoders on a 3000 × 2500 12-bit image, with identical pixels);
//   JPEG-LS: CharLS; JPEG 2000: OpenJPEG; HTJ2K: OpenJPH (the cornerstone builds, @cornerstonejs/codec-*).
// Each module is loaded and compiled on first use, once per thread (module state is per worker thread). The WASM
// files are found with require.resolve in the packages' own folders, so this works bundled by esbuild or not.
import type { PixelEncoding } from './transferSyntax';

export interface FrameShape {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  photometric: string;
  planarConfiguration: number;
}

/** A decoded frame: little-endian samples of `bytesPerSample` bytes, row-major, interleaved. */
export interface DecodedFrame {
  bytes: Uint8Array;
  bytesPerSample: 1 | 2;
  /** The decoded size: the frame's, or smaller when a reduced resolution was asked for and the codec gave it. */
  width: number;
  height: number;
}

type CompressedEncoding = Exclude<PixelEncoding, 'native' | 'encapsulated-native'>;

/**
 * Decodes one compressed frame; throws with the codec's own message when the stream is damaged. `reduce` asks a
 * JPEG 2000 frame for 1 / 2^reduce of its size (a thumbnail needs no more): the codec then decodes only the wavelet
 * levels that size needs, 50× faster for a 3,000-pixel image at 1/8. Other codecs decode the full frame.
 */
export async function decodeFrame(encoding: CompressedEncoding, encoded: Uint8Array, shape: FrameShape, reduce = 0): Promise<DecodedFrame> {
  if (reduce > 0 && encoding === 'jpeg2000') {
    const reduced = { ...shape, width: Math.ceil(shape.width / 2 ** reduce), height: Math.ceil(shape.height / 2 ** reduce) };
    // A stream with fewer wavelet levels than asked for cannot give that size: the full frame is decoded instead.
    const bytes = await jpeg2000(encoded, shape, reduce).catch(() => undefined);
    if (bytes) return checked(bytes, reduced);
  }
  return checked(await decoders[encoding](encoded, shape), shape);
}

function checked(bytes: Uint8Array, shape: FrameShape): DecodedFrame {
  const samples = shape.width * shape.height * shape.samplesPerPixel;
  const bytesPerSample = bytes.length / samples;
  if (bytesPerSample !== 1 && bytesPerSample !== 2) {
    throw new Error(`decoded ${bytes.length} bytes, expected ${samples} samples of 1 or 2 bytes (${shape.width} × ${shape.height})`);
  }
  return { bytes, bytesPerSample, width: shape.width, height: shape.height };
}

async function jpeg2000(encoded: Uint8Array, shape: FrameShape, reduce: number): Promise<Uint8Array> {
  const openjpeg = await load(
    'openjpeg',
    () => require('@cornerstonejs/codec-openjpeg/decodewasmjs') as typeof import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
    () => require.resolve('@cornerstonejs/codec-openjpeg/decodewasm'),
  );
  const decoder = new openjpeg.module.J2KDecoder();
  // The codec's frame info keeps the full size after a reduced decode: the byte count is checked instead.
  if (reduce > 0) return runEmbind(decoder, encoded, shape, openjpeg.errors, () => decoder.decodeSubResolution(reduce, 0), false);
  return runEmbind(decoder, encoded, shape, openjpeg.errors);
}

const decoders: Record<CompressedEncoding, (encoded: Uint8Array, shape: FrameShape) => Promise<Uint8Array>> = {
  jpeg: async (encoded, shape) => {
    const { NativeCodecs } = await dcmjsCodecs();
    // Colour conversion stays off: the pixels keep the photometric interpretation the header declares.
    return NativeCodecs.decodeJpeg(context(encoded, shape), { convertColorspaceToRgb: false }).getDecodedBuffer()!;
  },
  rle: async (encoded, shape) => {
    const { NativeCodecs } = await dcmjsCodecs();
    return NativeCodecs.decodeRle(context(encoded, shape)).getDecodedBuffer()!;
  },
  'jpeg-ls': async (encoded, shape) => {
    const charls = await load(
      'charls',
      () => require('@cornerstonejs/codec-charls/decodewasmjs') as typeof import('@cornerstonejs/codec-charls/decodewasmjs'),
      () => require.resolve('@cornerstonejs/codec-charls/decodewasm'),
    );
    try {
      return runEmbind(new charls.module.JpegLSDecoder(), encoded, shape, charls.errors);
    } catch (error) {
      // CharLS throws C++ exceptions as pointers into its memory.
      throw new Error(typeof error === 'number' ? charls.module.getExceptionMessage(error) : String(error));
    }
  },
  jpeg2000: (encoded, shape) => jpeg2000(encoded, shape, 0),
  htj2k: async (encoded, shape) => {
    const openjph = await load(
      'openjph',
      () => require('@cornerstonejs/codec-openjph/wasmjs') as typeof import('@cornerstonejs/codec-openjph/wasmjs'),
      () => require.resolve('@cornerstonejs/codec-openjph/wasm'),
    );
    return runEmbind(new openjph.module.HTJ2KDecoder(), encoded, shape, openjph.errors);
  },
};

/**
 * Runs an embind decoder on one frame and copies the pixels out of the module's memory before freeing it;
 * `checkSize` compares the codec's frame size with the header's.
 */
function runEmbind(decoder: WasmFrameDecoder, encoded: Uint8Array, shape: FrameShape, errors: string[], decode = (): void => decoder.decode(), checkSize = true): Uint8Array {
  try {
    errors.length = 0;
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decode();
    const info = decoder.getFrameInfo();
    // OpenJPEG and OpenJPH report damaged streams in print-outs and leave an empty or partial frame.
    const reported = errors.filter((line) => /error/i.test(line)).join('; ');
    if ((checkSize && (info.width !== shape.width || info.height !== shape.height)) || reported) {
      throw new Error(reported ? reported.replace(/\[ERROR\]\s*/g, '') : `decoded frame is ${info.width} × ${info.height}, the header says ${shape.width} × ${shape.height}`);
    }
    return decoder.getDecodedBuffer().slice();
  } finally {
    decoder.delete();
  }
}

interface Loaded<M> {
  module: M;
  /** What the module printed since the last decode started. */
  errors: string[];
}

const loading = new Map<string, Promise<Loaded<unknown>>>();

/** Instantiates an Emscripten module once per thread; a failed load is retried on the next call. */
function load<M>(name: string, factory: () => (options: EmscriptenModuleOptions) => Promise<M>, wasmFile: () => string): Promise<Loaded<M>> {
  let pending = loading.get(name) as Promise<Loaded<M>> | undefined;
  if (!pending) {
    const errors: string[] = [];
    // OpenJPEG reports on stdout ("[ERROR] ..."), the others on stderr: both are kept for the error message.
    const print = (line: string): number => errors.push(line);
    pending = factory()({ locateFile: wasmFile, print, printErr: print }).then((module) => ({ module, errors }));
    pending.catch(() => loading.delete(name));
    loading.set(name, pending);
  }
  return pending;
}

type DcmjsCodecs = typeof import('dcmjs-codecs');
let dcmjsCodecsLoading: Promise<DcmjsCodecs> | undefined;

/** dcmjs-codecs compiles its WebAssembly once per thread; a failed start is retried on the next call. */
function dcmjsCodecs(): Promise<DcmjsCodecs> {
  if (!dcmjsCodecsLoading) {
    dcmjsCodecsLoading = (async () => {
      const codecs: DcmjsCodecs = require('dcmjs-codecs');
      await codecs.NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: require.resolve('dcmjs-codecs/build/dcmjs-native-codecs.wasm') });
      return codecs;
    })();
    dcmjsCodecsLoading.catch(() => (dcmjsCodecsLoading = undefined));
  }
  return dcmjsCodecsLoading;
}

function context(encoded: Uint8Array, shape: FrameShape): InstanceType<DcmjsCodecs['Context']> {
  const { Context } = require('dcmjs-codecs') as DcmjsCodecs;
  return new Context({
    width: shape.width,
    height: shape.height,
    bitsAllocated: shape.bitsAllocated,
    bitsStored: shape.bitsStored,
    samplesPerPixel: shape.samplesPerPixel,
    pixelRepresentation: shape.pixelRepresentation,
    planarConfiguration: shape.planarConfiguration,
    photometricInterpretation: shape.photometric,
    encodedBuffer: encoded,
  });
}
