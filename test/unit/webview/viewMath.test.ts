import * as assert from 'node:assert/strict';
import { dragWindowLevel, fitView, FULL_WINDOW, transfer, zoomAt } from '../../../src/webview/gallery/viewMath';

describe('detail view: window/level and zoom', () => {
  it('maps the full window to the identity', () => {
    assert.deepEqual(transfer(FULL_WINDOW), { slope: 1, intercept: 0 });
  });

  it('maps the window [level − w/2, level + w/2] onto [0, 1]', () => {
    const { slope, intercept } = transfer({ window: 0.4, level: 0.3 });
    assert.ok(Math.abs(slope * 0.1 + intercept) < 1e-9);
    assert.ok(Math.abs(slope * 0.5 + intercept - 1) < 1e-9);
  });

  it('narrows the window dragging left, raises the level dragging down, within limits', () => {
    const narrower = dragWindowLevel(FULL_WINDOW, -100, 0, 200);
    assert.ok(narrower.window < 1);
    assert.equal(narrower.level, 0.5);
    assert.equal(dragWindowLevel(FULL_WINDOW, 0, 50, 200).level, 0.75);
    const extreme = dragWindowLevel(FULL_WINDOW, -1e6, 1e6, 200);
    assert.deepEqual(extreme, { window: 0.02, level: 1 });
  });

  it('fits an image inside the stage, centred', () => {
    assert.deepEqual(fitView(1000, 500, 500, 500), { scale: 0.5, x: 0, y: 125 });
  });

  it('zooms around the cursor: the image point under it stays put', () => {
    const before = { scale: 1, x: 10, y: 20 };
    const after = zoomAt(before, 2, 110, 120);
    assert.equal(after.scale, 2);
    // Image point (100, 100) was at (110, 120) and must still be there.
    assert.equal(after.x + 100 * after.scale, 110);
    assert.equal(after.y + 100 * after.scale, 120);
    assert.equal(zoomAt(before, 1e9, 0, 0).scale, 32);
  });
});
