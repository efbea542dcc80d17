import * as assert from 'node:assert/strict';
import { boxFromDrag } from '../../../src/webview/gallery/region/regionSelect';

// A box dragged on the detail view's stage becomes fractions of the image, whatever the zoom and pan.
describe('webview/region boxFromDrag', () => {
  const view = { scale: 2, x: 100, y: 50 };

  it('turns two stage points into the image box they span, in either drag direction', () => {
    // Image 400 × 200 drawn at 2× from (100, 50): stage (300, 250) is image (100, 100), stage (500, 350) is (200, 150).
    const box = boxFromDrag({ x: 500, y: 350 }, { x: 300, y: 250 }, view, 400, 200)!;
    assert.deepEqual(box, { x: 0.25, y: 0.5, w: 0.25, h: 0.25 });
  });

  it('clips a box that runs off the image, and gives none for a box beside it', () => {
    assert.deepEqual(boxFromDrag({ x: 0, y: 0 }, { x: 300, y: 250 }, view, 400, 200), { x: 0, y: 0, w: 0.25, h: 0.5 });
    assert.equal(boxFromDrag({ x: 0, y: 0 }, { x: 90, y: 40 }, view, 400, 200), undefined);
  });
});
