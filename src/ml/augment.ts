// Augmented views of a decoded image, the way Keras `ImageDataGenerator` makes them: rotation, shifts, zoom,
// horizontal flip and brightness, with `nearest` fill (edge pixels extend outward). Each view is drawn from a
// seed derived from the image content, so the same image always gets the same views and they can be cached.
import * as crypto from 'node:crypto';
import type { AugmentConfig } from './config';
import { seededRandom } from './splits';

/** Bumped whenever the sampling or the warp changes, so cached augmented embeddings are not reused. */
export const AUGMENT_VERSION = 1;

export interface AugmentParams {
  /** Degrees, counter-clockwise. */
  rotation: number;
  /** Shifts as fractions of width and height. */
  shiftX: number;
  shiftY: number;
  zoomX: number;
  zoomY: number;
  flip: boolean;
  brightness: number;
}

/** Draws the parameters of view `view` (1-based) of the image with content hash `hash`. */
export function sampleAugmentation(config: AugmentConfig, hash: string, view: number, seed: number): AugmentParams {
  const digest = crypto.createHash('sha256').update(`${hash}:${view}:${seed}`).digest();
  const random = seededRandom(digest.readUInt32LE(0));
  const between = (low: number, high: number): number => low + (high - low) * random();
  return {
    rotation: between(-config.rotationRange, config.rotationRange),
    shiftX: between(-config.widthShiftRange, config.widthShiftRange),
    shiftY: between(-config.heightShiftRange, config.heightShiftRange),
    zoomX: between(1 - config.zoomRange, 1 + config.zoomRange),
    zoomY: between(1 - config.zoomRange, 1 + config.zoomRange),
    flip: config.horizontalFlip && random() < 0.5,
    brightness: between(config.brightnessRange[0], config.brightnessRange[1]),
  };
}

/** A short tag naming the augmentation settings, part of the cache key of augmented views. */
export function augmentTag(config: AugmentConfig, seed: number): string {
  const text = JSON.stringify([AUGMENT_VERSION, config.rotationRange, config.widthShiftRange, config.heightShiftRange, config.zoomRange, config.horizontalFlip, config.brightnessRange, seed]);
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Warps an RGB image (`height × width × 3` bytes) by `params` with bilinear sampling. Zoom > 1 shows more
 * of the image (smaller content), as in Keras. Returns a new buffer of the same size.
 */
export function applyAugmentation(rgb: Uint8Array, width: number, height: number, params: AugmentParams): Uint8Array {
  if (rgb.length !== width * height * 3) throw new Error(`augment: expected ${width * height * 3} bytes, got ${rgb.length}`);
  const out = new Uint8Array(rgb.length);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const theta = (params.rotation * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const tx = params.shiftX * width;
  const ty = params.shiftY * height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Output pixel -> source pixel: undo the shift, then rotate and zoom about the centre.
      const ox = (params.flip ? width - 1 - x : x) - cx - tx;
      const oy = y - cy - ty;
      const sx = Math.min(width - 1, Math.max(0, (cos * ox - sin * oy) * params.zoomX + cx));
      const sy = Math.min(height - 1, Math.max(0, (sin * ox + cos * oy) * params.zoomY + cy));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * width + x) * 3;
      const a = (y0 * width + x0) * 3;
      const b = (y0 * width + x1) * 3;
      const c = (y1 * width + x0) * 3;
      const d = (y1 * width + x1) * 3;
      for (let k = 0; k < 3; k++) {
        const top = rgb[a + k] + (rgb[b + k] - rgb[a + k]) * fx;
        const bottom = rgb[c + k] + (rgb[d + k] - rgb[c + k]) * fx;
        // Uint8Array wraps on overflow, so clamp what brightness > 1 pushes past 255.
        out[o + k] = Math.min(255, Math.round((top + (bottom - top) * fy) * params.brightness));
      }
    }
  }
  return out;
}
