// Types for the parts of the cornerstone WASM codecs used here: the packages ship JavaScript only.

interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** An embind decoder object: buffers live in the module's memory, and `delete` frees the object. */
interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  delete(): void;
}

interface EmscriptenModuleOptions {
  /** Where the module's .wasm file is. */
  locateFile?: (file: string) => string;
  print?: (line: string) => void;
  printErr?: (line: string) => void;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (options?: EmscriptenModuleOptions) => Promise<{
    JpegLSDecoder: new () => WasmFrameDecoder;
    getExceptionMessage(pointer: number): string;
  }>;
  export = factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (options?: EmscriptenModuleOptions) => Promise<{
    /** `decodeSubResolution(level, layer)` decodes at 1 / 2^level of the size (the wavelet's low band). */
    J2KDecoder: new () => WasmFrameDecoder & { decodeSubResolution(level: number, layer: number): void };
  }>;
  export = factory;
}

declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: (options?: EmscriptenModuleOptions) => Promise<{
    HTJ2KDecoder: new () => WasmFrameDecoder & { getLastErrorMessage?(): string };
  }>;
  export = factory;
}
