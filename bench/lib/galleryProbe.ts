// What the gallery benchmarks measure inside the gallery's document, the stand-in page's or the real webview's
// frame: scrolling frame rate, and how long a relabel keypress takes to show on its tile.
import type { Frame, Keyboard, Page } from 'playwright-core';
import { percentile } from './stats';

type GalleryDocument = Page | Frame;

/**
 * Scrolls the grid by one step per animation frame for `frames` frames, from the top; `pixels` per step, or
 * null to reach the bottom in the last frame. Returns the frame rate and the 95th-percentile frame time.
 */
export async function scroll(target: GalleryDocument, frames: number, pixels: number | null): Promise<{ fps: number; p95FrameMs: number; pixelsPerFrame: number }> {
  const { times, bottom } = await target.evaluate(
    ({ n, step }) =>
      new Promise<{ times: number[]; bottom: number }>((resolve) => {
        const grid = document.querySelector<HTMLElement>('main.grid-host')!;
        grid.scrollTop = 0;
        const bottom = grid.scrollHeight - grid.clientHeight;
        const stamps: number[] = [];
        const frame = (time: number): void => {
          stamps.push(time);
          if (stamps.length > n) return resolve({ times: stamps, bottom });
          grid.scrollTop = step === null ? (bottom * stamps.length) / n : step * stamps.length;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { n: frames, step: pixels },
  );
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  return { fps: gaps.length / ((times.at(-1)! - times[0]) / 1000), p95FrameMs: percentile(gaps, 95)!, pixelsPerFrame: pixels ?? Math.round(bottom / frames) };
}

export interface RelabelTiming {
  latencyMs: number;
  byNextFrame: boolean;
}

/**
 * Watches keypresses in the gallery's document: `relabelOnce` arms it with the tile and the label expected, the
 * watch stamps the key's event time and the moment the tile shows the label (a mutation observer), and whether it
 * did by the next animation frame.
 */
export async function installRelabelWatch(target: GalleryDocument): Promise<void> {
  await target.evaluate(() => {
    interface Watch {
      id: string;
      label: string;
      keyAt?: number;
      shownAt?: number;
      shownByNextFrame?: boolean;
    }
    const state = ((window as unknown as { __bench?: { relabel?: Watch } }).__bench ??= {});
    const shown = (): boolean => {
      const watch = state.relabel;
      if (!watch) return false;
      const tile = document.querySelector(`.tile[data-id="${CSS.escape(watch.id)}"]`);
      return tile?.querySelector('.label')?.textContent === watch.label;
    };
    document.addEventListener(
      'keydown',
      (event) => {
        const watch = state.relabel;
        if (!watch || watch.keyAt !== undefined) return;
        watch.keyAt = event.timeStamp;
        requestAnimationFrame(() => (watch.shownByNextFrame = shown()));
      },
      true,
    );
    new MutationObserver(() => {
      const watch = state.relabel;
      if (watch && watch.keyAt !== undefined && watch.shownAt === undefined && shown()) watch.shownAt = performance.now();
    }).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  });
}

/** Presses the key of the next class on the focused tile and measures until its label shows that class. */
export async function relabelOnce(target: GalleryDocument, keyboard: Keyboard, classes: readonly string[]): Promise<RelabelTiming> {
  const key = await target.evaluate((names) => {
    const tile = document.querySelector<HTMLElement>('.tile.focused')!;
    const current = tile.querySelector('.label')!.textContent!;
    const index = (names.indexOf(current) + 1) % names.length;
    (window as unknown as { __bench: { relabel: unknown } }).__bench.relabel = { id: tile.dataset.id!, label: names[index] };
    return String(index + 1);
  }, classes);
  await keyboard.press(key);
  const handle = await target.waitForFunction(() => {
    const r = (window as unknown as { __bench: { relabel: { keyAt?: number; shownAt?: number; shownByNextFrame?: boolean } } }).__bench.relabel;
    return r.shownAt !== undefined && r.shownByNextFrame !== undefined ? { latencyMs: r.shownAt - r.keyAt!, byNextFrame: r.shownByNextFrame } : null;
  });
  return (await handle.jsonValue()) as RelabelTiming;
}
