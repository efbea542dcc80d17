import * as fs from 'node:fs';
import * as path from 'node:path';

/** The shared real data (X-rays, backbone weights): `XRAY_SHARED`, else `../shared` beside the project root. */
export const SHARED_DIR = process.env.XRAY_SHARED
  ? path.resolve(process.env.XRAY_SHARED)
  : path.resolve(__dirname, '..', '..', '..', '..', 'shared');

export const CXR_DIR = path.join(SHARED_DIR, 'data', 'cxr');
export const CXR_FULLRES_DIR = path.join(SHARED_DIR, 'data', 'cxr-fullres');
export const NIH14_DIR = path.join(SHARED_DIR, 'data', 'nih14-multilabel');
export const BACKBONE_DIR = path.join(SHARED_DIR, 'models', 'mobilenet_v2_0.35_224');

/** Fails loudly (never skips) when the shared data a test needs is missing. */
export function requireShared(dir: string): string {
  if (!fs.existsSync(dir)) {
    throw new Error(`shared data missing: ${dir} (set XRAY_SHARED to the folder that holds data/ and models/)`);
  }
  return dir;
}
