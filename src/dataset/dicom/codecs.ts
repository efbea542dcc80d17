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
}

type CompressedEncoding = Exclude<PixelEncoding, 'native' | 'encapsulated-native'>;

/** Decodes one compressed frame; throws with the codec's own message when the stream is damaged. */
export async function decodeFrame(encoding: CompressedEncoding, encoded: Uint8Array, shape: FrameShape): Promise<DecodedFrame> {
  const bytes = await decoders[encoding](encoded, shape);
  const samples = shape.width * shape.height * shape.samplesPerPixel;
  const bytesPerSample = bytes.length / samples;
  if (bytesPerSample !== 1 && bytesPerSample !== 2) {
    throw new Error(`decoded ${bytes.length} bytes, expected ${samples} samples of 1 or 2 bytes (${shape.width} × ${shape.height})`);
  }
  return { bytes, bytesPerSample };
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
  jpeg2000: async (encoded, shape) => {
    const openjpeg = await load(
      'openjpeg',
      () => require('@cornerstonejs/codec-openjpeg/decodewasmjs') as typeof import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
      () => require.resolve('@cornerstonejs/codec-openjpeg/decodewasm'),
    );
    return runEmbind(new openjpeg.module.J2KDecoder(), encoded, shape, openjpeg.errors);
  },
  htj2k: async (encoded, shape) => {
    const openjph = await load(
      'openjph',
      () => require('@cornerstonejs/codec-openjph/wasmjs') as typeof import('@cornerstonejs/codec-openjph/wasmjs'),
      () => require.resolve('@cornerstonejs/codec-openjph/wasm'),
    );
    return runEmbind(new openjph.module.HTJ2KDecoder(), encoded, shape, openjph.errors);
  },
};

/** Runs an embind decoder on one frame and copies the pixels out of the module's memory before freeing it. */
function runEmbind(decoder: WasmFrameDecoder, encoded: Uint8Array, shape: FrameShape, errors: string[]): Uint8Array {
  try {
    errors.length = 0;
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    // OpenJPEG and OpenJPH report damaged streams in print-outs and leave an empty or partial frame.
    const reported = errors.filter((line) => /error/i.test(line)).join('; ');
    if (info.width !== shape.width || info.height !== shape.height || reported) {
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
