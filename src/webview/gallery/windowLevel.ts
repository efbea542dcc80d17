// Window/level on the full-range values of a DICOM image: the host sends the 12/16-bit values once (as 16-bit
// codes), and every drag re-windows them into a canvas through a 65,536-entry lookup table (no 8-bit copy in
// between, so narrowing the window shows detail the thumbnail's window had clipped).
import { paintGrey, windowLut } from '../../shared/fullRange';
import type { ModalityWindow } from '../../shared/fullRange';
import type { PixelsReply } from '../../shared/protocol';
import type { WindowLevel } from './viewMath';

/** The drag's window/level (in units of the value range, as `dragWindowLevel` works) in modality values. */
export function toModalityWindow(wl: WindowLevel, min: number, max: number): ModalityWindow {
  const range = Math.max(max - min, 1);
  return { centre: min + wl.level * range, width: wl.window * range };
}

/** The inverse of `toModalityWindow`: where a drag starts from the file's own window. */
export function fromModalityWindow(window: ModalityWindow, min: number, max: number): WindowLevel {
  const range = Math.max(max - min, 1);
  return { window: window.width / range, level: (window.centre - min) / range };
}

/** Checks a pixels reply before it is drawn (the sizes must agree, or nothing is drawn). */
export function pixelsProblem(reply: PixelsReply): string | undefined {
  const { width, height, codes, step, windowWidth } = reply;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) return `bad size ${width} × ${height}`;
  if (!(codes instanceof Uint16Array) || codes.length !== width * height) return `${codes?.length} values for ${width} × ${height}`;
  if (!(step > 0) || !(windowWidth > 0)) return 'bad value step or window';
  return undefined;
}

/** A canvas showing one full-range image under the current window. */
export class WindowedImage {
  readonly canvas = document.createElement('canvas');
  private pixels: PixelsReply | undefined;
  private image: ImageData | undefined;
  private wanted: ModalityWindow | undefined;
  private frame = 0;
  /** The window last drawn (tests and the readout read it). */
  drawn: ModalityWindow | undefined;

  constructor() {
    this.canvas.className = 'full full-range';
    this.canvas.hidden = true;
    Object.assign(this.canvas.style, { position: 'absolute', left: '0', top: '0', transformOrigin: '0 0' });
  }

  get id(): string | undefined {
    return this.pixels?.id;
  }

  get width(): number {
    return this.pixels?.width ?? 0;
  }

  get height(): number {
    return this.pixels?.height ?? 0;
  }

  /** The file's own window, in the drag's units. */
  get defaultLevel(): WindowLevel | undefined {
    const p = this.pixels;
    return p && fromModalityWindow({ centre: p.centre, width: p.windowWidth }, p.min, p.max);
  }

  show(pixels: PixelsReply): void {
    const problem = pixelsProblem(pixels);
    if (problem) throw new Error(`unusable pixels: ${problem}`);
    this.pixels = pixels;
    this.canvas.width = pixels.width;
    this.canvas.height = pixels.height;
    this.image = new ImageData(pixels.width, pixels.height);
    this.drawn = undefined;
    this.canvas.hidden = false;
  }

  clear(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pixels = undefined;
    this.image = undefined;
    this.drawn = undefined;
    this.canvas.hidden = true;
  }

  /** The window in modality values for a drag's window/level. */
  windowOf(wl: WindowLevel): ModalityWindow | undefined {
    return this.pixels && toModalityWindow(wl, this.pixels.min, this.pixels.max);
  }

  /** Re-windows at the next frame: a drag's many moves cost one paint per frame. */
  draw(wl: WindowLevel): void {
    this.wanted = this.windowOf(wl);
    if (this.frame || !this.wanted) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const { pixels, image, wanted } = this;
      if (!pixels || !image || !wanted) return;
      paintGrey(pixels.codes, windowLut(pixels, wanted, pixels.inverted), image.data);
      this.canvas.getContext('2d')?.putImageData(image, 0, 0);
      this.drawn = wanted;
      this.canvas.dataset.window = `${Math.round(wanted.centre)}/${Math.round(wanted.width)}`;
    });
  }
}
