// Decode + thumbnail of one 3000 × 2500 12-bit chest X-ray as DICOM (uncompressed, JPEG lossless SV1, JPEG 2000
// lossless, and JPEG-LS / HTJ2K for comparison) against the same image as a 16-bit PNG, through the project's
// thumbnail path (`thumbnail()` of src/dataset: decode, 8-bit grey, resize, WebP, atomic write) into an empty cache.
// The files are made once per working folder by dcmtk, GDCM, ImageMagick and dcmjs-codecs from a real X-ray.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NativeCodecs, Transcoder, constants } from 'dcmjs-codecs';
import { thumbnail } from '../src/dataset';
import { CXR_FULLRES_DIR, requireShared } from '../test/support/shared';
import { progress, runBenchmark } from './lib/child';
import { median } from './lib/stats';
import { once } from './lib/workspace';

const WIDTH = 3000;
const HEIGHT = 2500;
/** A 3342 × 4095 grey JPEG of cxr-fullres, cropped to the benchmark size after scaling. */
const SOURCE = path.join(CXR_FULLRES_DIR, 'COVID', 'cxnet__019.jpeg');

/** The inputs by figure key; the first three carry the target. */
const INPUTS = { png: 'image.png', uncompressed: 'explicit-le.dcm', jpegLossless: 'jpeg-lossless-sv1.dcm', jpeg2000: 'j2k-lossless.dcm', jpegLs: 'jpegls.dcm', htj2k: 'htj2k.dcm' };
type InputKey = keyof typeof INPUTS;

function tool(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Needs the transcoder's WebAssembly initialised (for the HTJ2K file). */
function makeInputs(work: string): string {
  requireShared(SOURCE);
  return once(path.join(work, `dicom-${WIDTH}x${HEIGHT}`), (out) => {
    const at = (name: string): string => path.join(out, name);
    tool('convert', [SOURCE, '-colorspace', 'Gray', '-resize', `${WIDTH}x${HEIGHT}^`, '-gravity', 'center', '-extent', `${WIDTH}x${HEIGHT}`, '-depth', '12', at('image.pgm')], out);
    tool('convert', [at('image.pgm'), '-depth', '16', at(INPUTS.png)], out);
    tool('gdcmimg', ['-i', at('image.pgm'), '-o', at('gdcm.dcm')], out);
    tool('gdcmconv', ['-w', '-X', '-U', at('gdcm.dcm'), at(INPUTS.uncompressed)], out);
    tool('dcmcjpeg', ['+e1', at(INPUTS.uncompressed), at(INPUTS.jpegLossless)], out);
    tool('gdcmconv', ['--j2k', at(INPUTS.uncompressed), at(INPUTS.jpeg2000)], out);
    tool('dcmcjpls', [at(INPUTS.uncompressed), at(INPUTS.jpegLs)], out);
    const bytes = fs.readFileSync(at(INPUTS.uncompressed));
    const transcoder = new Transcoder(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    transcoder.transcode(constants.TransferSyntax.HtJpeg2000Lossless);
    fs.writeFileSync(at(INPUTS.htj2k), Buffer.from(transcoder.getDicomPart10()));
  });
}

runBenchmark('dicom', async ({ quick, work }) => {
  await NativeCodecs.initializeAsync();
  progress('dicom', 'making the inputs (once per working folder)');
  const dir = makeInputs(work);
  const runs = quick ? 3 : 7;
  const cacheDir = fs.mkdtempSync(path.join(work, 'dicom-thumbs-'));
  const metrics: Record<string, number> = {};
  const details: Record<string, unknown> = {};
  let round = 0;
  for (const key of Object.keys(INPUTS) as InputKey[]) {
    const file = path.join(dir, INPUTS[key]);
    const timings: number[] = [];
    // The first call also loads the codec's WebAssembly (once per thread): reported apart, not in the median.
    for (let i = 0; i <= runs; i++) {
      const hash = createHash('sha256').update(`${key}:${round++}`).digest('hex');
      const start = performance.now();
      await thumbnail(file, hash, cacheDir);
      timings.push(performance.now() - start);
    }
    metrics[`dicom.${key}.thumbnailMs`] = median(timings.slice(1))!;
    details[key] = { file: INPUTS[key], bytes: fs.statSync(file).size, firstCallMs: Math.round(timings[0]) };
    progress('dicom', `${key}: ${metrics[`dicom.${key}.thumbnailMs`].toFixed(0)} ms`);
  }
  for (const key of Object.keys(INPUTS) as InputKey[]) {
    if (key !== 'png') metrics[`dicom.${key}.vsPng`] = metrics[`dicom.${key}.thumbnailMs`] / metrics['dicom.png.thumbnailMs'];
  }
  fs.rmSync(cacheDir, { recursive: true, force: true });
  return {
    metrics,
    inputs: { width: WIDTH, height: HEIGHT, bitsStored: 12, source: path.basename(SOURCE), runs },
    details,
    notes: ['decode + 8-bit grey + resize + WebP of one image, median of the runs after the first (the first also loads the codec)'],
  };
});
