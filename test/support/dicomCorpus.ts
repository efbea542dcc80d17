// The DICOM test corpus, made at test time in a temp folder from one real NIH chest X-ray of ../shared by tools the
// project did not write: ImageMagick (a 12-bit greyscale PGM), GDCM (gdcmimg: PGM/raw to DICOM; gdcmconv: J2K,
// JPEG, JPEG-LS, RLE), dcmtk (dcmconv: implicit/big-endian/deflated/no meta; dcmcjpeg; dcmcjpls; dcmcrle;
// dcmodify: tags) and dcmjs-codecs' transcoder (HTJ2K, which neither tool writes). The ground truth is the PGM's
// own samples, never this project's decoder.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NativeCodecs, Transcoder, constants } from 'dcmjs-codecs';
import { CXR_FULLRES_DIR, requireShared } from './shared';

export const WIDTH = 512;
export const HEIGHT = 416;
export const SOURCE = path.join(CXR_FULLRES_DIR, 'NORMAL', 'nih14__00001281_000.png');

export interface Corpus {
  dir: string;
  /** Files by name (see `build` below). */
  files: Record<string, string>;
  /** The 12-bit samples every MONOCHROME2 file encodes (row-major). */
  samples12: Uint16Array;
  /** The 8-bit samples of the baseline-JPEG source. */
  samples8: Uint8Array;
  /** The VOI LUT put into `voiLut`: 4096 entries, 8-bit output. */
  voiLut: number[];
}

let building: Promise<Corpus> | undefined;

/** Builds the corpus once per test process (every DICOM test file shares it); removed when the process exits. */
export function corpus(): Promise<Corpus> {
  building ??= Promise.resolve().then(build);
  return building;
}

/** Renders `file` to 8-bit grey with dcmtk's dcm2pnm (`args` choose the VOI, e.g. ['+Wi', '1']). */
export function renderWithDcmtk(file: string, args: string[]): Uint16Array {
  const out = `${file}.${args.join('')}.pgm`;
  run('dcm2pnm', [...args, file, out], path.dirname(file));
  return readPgm(out).samples;
}

function run(tool: string, args: string[], cwd: string): void {
  try {
    execFileSync(tool, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `${tool} is not installed (Debian packages dcmtk, libgdcm-tools, imagemagick)` : `${tool} ${args.join(' ')} failed: ${stderr}`);
  }
}

/** Reads a binary PGM (P5): maxval above 255 means 16-bit big-endian samples. */
export function readPgm(file: string): { width: number; height: number; samples: Uint16Array } {
  const bytes = fs.readFileSync(file);
  const header = bytes.subarray(0, 64).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error(`${file} is not a binary PGM`);
  const [width, height, maxval] = header.slice(1).map(Number);
  const start = header[0].length;
  const samples = new Uint16Array(width * height);
  for (let i = 0; i < samples.length; i++) samples[i] = maxval > 255 ? bytes.readUInt16BE(start + 2 * i) : bytes[start + i];
  return { width, height, samples };
}

function writePgm(file: string, width: number, height: number, samples: Uint16Array, maxval: number): void {
  const header = Buffer.from(`P5\n${width} ${height}\n${maxval}\n`, 'latin1');
  const body = Buffer.alloc(samples.length * 2);
  samples.forEach((value, i) => body.writeUInt16BE(value, 2 * i));
  fs.writeFileSync(file, Buffer.concat([header, body]));
}

/** A raw little-endian 16-bit file for gdcmimg. */
function writeRaw(file: string, values: ArrayLike<number>, signed: boolean): void {
  const body = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    if (signed) body.writeInt16LE(values[i], 2 * i);
    else body.writeUInt16LE(values[i], 2 * i);
  }
  fs.writeFileSync(file, body);
}

/** dcmodify -i arguments; OW values (LUT data) are written in hex, as dcmodify reads them. */
function tagArgs(tags: Record<string, string>): string[] {
  return Object.entries(tags).flatMap(([tag, value]) => ['-i', `${tag}=${value}`]);
}

const PATIENT_TAGS = {
  '(0008,0060)': 'DX',
  '(0008,0070)': 'Acme Imaging',
  '(0008,0080)': 'St Example Hospital',
  '(0008,1010)': 'XR-ROOM-2',
  '(0008,0050)': 'ACC-778899',
  '(0008,0020)': '20240315',
  '(0008,103E)': 'Chest PA erect',
  '(0010,0010)': 'Doe^Jane',
  '(0010,0020)': 'PAT-0042',
  '(0010,0030)': '19700101',
  '(0010,0040)': 'F',
  '(0010,1040)': '1 Main Street^Springfield',
  '(0018,0015)': 'CHEST',
  '(0028,0301)': 'NO',
  '(0028,1050)': '2048',
  '(0028,1051)': '4096',
};

async function build(): Promise<Corpus> {
  requireShared(SOURCE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-dicom-corpus-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const at = (name: string): string => path.join(dir, name);
  const files: Record<string, string> = {};
  const make = (name: string, tool: string, args: (out: string) => string[]): void => {
    run(tool, args(at(name)), dir);
    files[name] = at(name);
  };

  // Sources: a 12-bit (resampling makes every one of the 4096 levels occur) and an 8-bit PGM of the same X-ray.
  run('convert', [SOURCE, '-colorspace', 'Gray', '-resize', `${WIDTH}x${HEIGHT}!`, '-depth', '12', at('src12.pgm')], dir);
  run('convert', [SOURCE, '-colorspace', 'Gray', '-resize', `${WIDTH}x${HEIGHT}!`, '-depth', '8', at('src8.pgm')], dir);
  const samples12 = readPgm(at('src12.pgm')).samples;
  const samples8 = Uint8Array.from(readPgm(at('src8.pgm')).samples);
  writePgm(at('src12-inverted.pgm'), WIDTH, HEIGHT, samples12.map((v) => 4095 - v), 4095);

  // Uncompressed references (gdcmimg writes PGM samples big-endian in a GE private implicit-VR syntax: make them
  // standard explicit VR little endian, VRs from the dictionary).
  const fromPgm = (name: string, pgm: string, extraTags: Record<string, string>): void => {
    run('gdcmimg', ['-i', at(pgm), '-o', at(`${name}.tmp`)], dir);
    make(name, 'gdcmconv', (out) => ['-w', '-X', '-U', at(`${name}.tmp`), out]);
    run('dcmodify', ['-nb', ...tagArgs({ ...PATIENT_TAGS, ...extraTags }), at(name)], dir);
  };
  fromPgm('mono2.dcm', 'src12.pgm', { '(0028,0004)': 'MONOCHROME2' });
  fromPgm('mono1.dcm', 'src12-inverted.pgm', { '(0028,0004)': 'MONOCHROME1' });
  fromPgm('mono2-8bit.dcm', 'src8.pgm', { '(0028,1050)': '128', '(0028,1051)': '256' });

  for (const base of ['mono2', 'mono1']) {
    const input = at(`${base}.dcm`);
    make(`${base}-jpegls.dcm`, 'dcmcjpls', (out) => ['+el', input, out]);
    make(`${base}-j2k.dcm`, 'gdcmconv', (out) => ['--j2k', input, out]);
    make(`${base}-rle.dcm`, 'dcmcrle', (out) => [input, out]);
  }
  const mono2 = at('mono2.dcm');
  make('implicit.dcm', 'dcmconv', (out) => ['+ti', mono2, out]);
  make('big-endian.dcm', 'dcmconv', (out) => ['+tb', mono2, out]);
  make('deflated.dcm', 'dcmconv', (out) => ['+td', mono2, out]);
  make('bare-implicit.dcm', 'dcmconv', (out) => ['-F', '+ti', mono2, out]);
  make('bare-explicit.dcm', 'dcmconv', (out) => ['-F', '+te', mono2, out]);
  make('jpeg-baseline.dcm', 'dcmcjpeg', (out) => ['+eb', at('mono2-8bit.dcm'), out]);
  make('jpeg-extended.dcm', 'dcmcjpeg', (out) => ['+ee', mono2, out]);
  make('jpeg-lossless.dcm', 'dcmcjpeg', (out) => ['+el', mono2, out]);
  make('jpeg-lossless-sv1.dcm', 'dcmcjpeg', (out) => ['+e1', mono2, out]);
  make('jpeg-lossless-gdcm.dcm', 'gdcmconv', (out) => ['--jpeg', mono2, out]);
  make('jpegls-near.dcm', 'dcmcjpls', (out) => ['+en', '+md', '2', mono2, out]);
  make('jpegls-gdcm.dcm', 'gdcmconv', (out) => ['--jpegls', mono2, out]);
  make('j2k-lossy.dcm', 'gdcmconv', (out) => ['--j2k', '--lossy', '--irreversible', '-r', '10', mono2, out]);
  make('rle-gdcm.dcm', 'gdcmconv', (out) => ['--rle', mono2, out]);
  await transcode(mono2, at('htj2k.dcm'), 'HtJpeg2000Lossless');
  await transcode(mono2, at('htj2k-lossy.dcm'), 'HtJpeg2000Lossy');
  files['htj2k.dcm'] = at('htj2k.dcm');
  files['htj2k-lossy.dcm'] = at('htj2k-lossy.dcm');
  // Lossy files decoded by the tools' own decoders: what a correct decoder must reproduce.
  make('jpeg-baseline.ref.dcm', 'dcmdjpeg', (out) => [at('jpeg-baseline.dcm'), out]);
  make('jpeg-extended.ref.dcm', 'dcmdjpeg', (out) => [at('jpeg-extended.dcm'), out]);
  make('jpegls-near.ref.dcm', 'dcmdjpls', (out) => [at('jpegls-near.dcm'), out]);
  make('j2k-lossy.ref.dcm', 'gdcmconv', (out) => ['-w', at('j2k-lossy.dcm'), out]);
  await transcode(at('htj2k-lossy.dcm'), at('htj2k-lossy.ref.dcm'), 'ExplicitVRLittleEndian');
  files['htj2k-lossy.ref.dcm'] = at('htj2k-lossy.ref.dcm');

  // A Part 10 file whose writer left out the 128-byte preamble, and one with no extension in a PACS-style folder.
  fs.writeFileSync(at('no-preamble.dcm'), fs.readFileSync(mono2).subarray(128));
  files['no-preamble.dcm'] = at('no-preamble.dcm');
  fs.mkdirSync(at('PAT-0042/STUDY1/SERIES1'), { recursive: true });
  fs.copyFileSync(at('mono2-jpegls.dcm'), at('PAT-0042/STUDY1/SERIES1/IM000001'));
  files['IM000001'] = at('PAT-0042/STUDY1/SERIES1/IM000001');
  // A DICOMDIR (media directory) over a copy of the image, as CD/DVD exports carry.
  fs.mkdirSync(at('media/IMAGES'), { recursive: true });
  fs.copyFileSync(mono2, at('media/IMAGES/IM0001'));
  run('dcmmkdir', ['+r', '+I', 'IMAGES'], at('media'));
  files['DICOMDIR'] = at('media/DICOMDIR');

  // Pixel-module cases: signed pixels with an intercept, garbage above the high bit, padding, windows, a VOI LUT.
  writeRaw(at('signed.raw'), Array.from(samples12, (v) => v - 2048), true);
  run('gdcmimg', ['--size', `${WIDTH},${HEIGHT}`, '--depth', '16', '--sign', '1', '--pf', '16,12,11', '-i', at('signed.raw'), '-o', at('signed.dcm')], dir);
  run('dcmodify', ['-nb', ...tagArgs({ '(0028,1052)': '2048', '(0028,1053)': '1' }), at('signed.dcm')], dir);
  files['signed.dcm'] = at('signed.dcm');
  make('signed-j2k.dcm', 'gdcmconv', (out) => ['--j2k', at('signed.dcm'), out]);
  writeRaw(at('high-bits.raw'), Array.from(samples12, (v, i) => v | (((i * 7919) % 16) << 12)), false);
  run('gdcmimg', ['--size', `${WIDTH},${HEIGHT}`, '--depth', '16', '--pf', '16,12,11', '-i', at('high-bits.raw'), '-o', at('high-bits.dcm')], dir);
  files['high-bits.dcm'] = at('high-bits.dcm');
  const modified = (name: string, args: string[]): void => {
    fs.copyFileSync(mono2, at(name));
    run('dcmodify', ['-nb', ...args, at(name)], dir);
    files[name] = at(name);
  };
  modified('padding.dcm', tagArgs({ '(0028,0120)': String(samples12[0]) }));
  modified('windows.dcm', tagArgs({ '(0028,1050)': '1000\\2048', '(0028,1051)': '500\\4096', '(0028,1055)': 'LUNG\\FULL' }));
  const voiLut = Array.from({ length: 4096 }, (_, i) => Math.floor(Math.sqrt(i / 4095) * 255));
  modified('voi-lut.dcm', ['-e', '(0028,1050)', '-e', '(0028,1051)', ...tagArgs({ '(0028,3010)[0].(0028,3002)': '4096\\0\\8', '(0028,3010)[0].(0028,3006)': voiLut.map((v) => v.toString(16)).join('\\') })]);
  modified('report.dcm', ['-e', '(7fe0,0010)', ...tagArgs({ '(0008,0016)': '1.2.840.10008.5.1.4.1.1.88.11', '(0008,0060)': 'SR' })]);
  modified('lateral.dcm', ['-e', '(0008,0070)', '-e', '(0008,0080)', ...tagArgs({ '(0018,5101)': 'LL', '(0010,1010)': '006M' })]);
  modified('utf8.dcm', tagArgs({ '(0008,0005)': 'ISO_IR 192', '(0010,0010)': 'Müller^Zoë', '(0008,0070)': 'Röntgenwerk', '(0008,0080)': '' }));

  // Unsupported content: a colour image, and transfer syntaxes this decoder refuses (patched in place, same length).
  make('colour.dcm', 'img2dcm', (out) => [path.join(CXR_FULLRES_DIR, 'COVID', 'ieee8023__covid-19-pneumonia-30-PA.jpg'), out]);
  const ht = fs.readFileSync(at('htj2k.dcm'));
  for (const [name, uid] of [['mpeg2.dcm', '1.2.840.10008.1.2.4.100'], ['jpeg-xl.dcm', '1.2.840.10008.1.2.4.110']]) {
    const patched = Buffer.from(ht);
    const offset = patched.indexOf('1.2.840.10008.1.2.4.201', 0, 'latin1');
    patched.write(uid, offset, 'latin1');
    fs.writeFileSync(at(name), patched);
    files[name] = at(name);
  }
  return { dir, files, samples12, samples8, voiLut };
}

async function transcode(input: string, output: string, syntax: 'HtJpeg2000Lossless' | 'HtJpeg2000Lossy' | 'ExplicitVRLittleEndian'): Promise<void> {
  if (!NativeCodecs.isInitialized()) await NativeCodecs.initializeAsync();
  const bytes = fs.readFileSync(input);
  const transcoder = new Transcoder(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  transcoder.transcode(constants.TransferSyntax[syntax]);
  fs.writeFileSync(output, Buffer.from(transcoder.getDicomPart10()));
}
