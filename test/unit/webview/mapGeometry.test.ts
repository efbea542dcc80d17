import * as assert from 'node:assert/strict';
import { mapColourings } from '../../../src/host/map/mapColours';
import type { GalleryItem } from '../../../src/shared/protocol';
import { parseFromMapWebview } from '../../../src/shared/parseMapMessage';
import { boxPolygon, fitView, insidePolygon, nearestPoint, pointsInPolygon, toMap, zoomView } from '../../../src/webview/map/geometry';
import { pointColours } from '../../../src/webview/map/legend';
import { packColour } from '../../../src/webview/map/palette';

describe('the dataset map: geometry, colours and messages', () => {
  const xs = Float32Array.from([0, 10, 10, 0, 5]);
  const ys = Float32Array.from([0, 0, 10, 10, 5]);

  it('fits every point inside the canvas with the margin, centred', () => {
    const view = fitView(xs, ys, 220, 120, 10);
    assert.equal(view.scale, 10);
    assert.deepEqual([0 * view.scale + view.ox, 10 * view.scale + view.ox], [60, 160]);
    assert.deepEqual([0 * view.scale + view.oy, 10 * view.scale + view.oy], [10, 110]);
    assert.deepEqual(toMap(view, 110, 60), [5, 5]);
    const zoomed = zoomView(view, 2, 110, 60);
    assert.deepEqual(toMap(zoomed, 110, 60), [5, 5], 'the point under the cursor stays');
    assert.equal(zoomed.scale, 20);
  });

  it('selects the points inside a lasso or a box, by the even-odd rule', () => {
    const triangle = [-1, -1, 12, -1, -1, 12];
    assert.deepEqual(pointsInPolygon(xs, ys, triangle), [0, 1, 3, 4]);
    assert.deepEqual(pointsInPolygon(xs, ys, boxPolygon(4, 4, 11, 11)), [2, 4]);
    assert.deepEqual(pointsInPolygon(xs, ys, [0, 0, 1, 1]), [], 'two vertices enclose nothing');
    // A bow tie: its two side lobes are inside, the wedges between them outside.
    assert.equal(insidePolygon(2, 5, [0, 0, 10, 10, 10, 0, 0, 10]), true);
    assert.equal(insidePolygon(5, 2, [0, 0, 10, 10, 10, 0, 0, 10]), false);
  });

  it('finds the point under the pointer within a radius in screen pixels', () => {
    const view = { scale: 10, ox: 0, oy: 0 };
    assert.equal(nearestPoint(xs, ys, view, 52, 49, 6), 4);
    assert.equal(nearestPoint(xs, ys, view, 30, 30, 6), -1);
  });

  it('colours by label, prediction, correctness, source, flag, split and issue score; no category is 255', () => {
    const item = (id: string, label: string | null, extra: Partial<GalleryItem> = {}): GalleryItem => ({ id, label, flagged: false, ...extra });
    const items = [
      item('a', 'COVID', { prediction: { predicted: 'COVID', confidence: 0.9, margin: 0.8, changed: false }, metadata: { source: 'ieee8023' }, issueScore: 0.2 }),
      item('b', 'NORMAL', { prediction: { predicted: 'COVID', confidence: 0.6, margin: 0.2, changed: false }, metadata: { source: 'kermany' }, flagged: true, split: 'test' }),
      item('c', null),
      undefined,
    ];
    const byName = Object.fromEntries(mapColourings(items, ['COVID', 'NORMAL']).map((c) => [c.name, c]));
    assert.deepEqual(byName.label.categories, ['COVID', 'NORMAL', 'unlabelled']);
    assert.deepEqual([...byName.label.codes!], [0, 1, 2, 255]);
    assert.deepEqual([...byName.correctness.codes!], [0, 1, 255, 255]);
    assert.deepEqual(byName.source.categories, ['ieee8023', 'kermany']);
    assert.deepEqual([...byName.flag.codes!], [0, 1, 0, 255]);
    assert.deepEqual([...byName.split.codes!], [255, 0, 255, 255]);
    assert.ok(Math.abs(byName.issue.values![0] - 0.2) < 1e-6);
    assert.ok(Number.isNaN(byName.issue.values![1]));
    const colours = pointColours(byName.label, 4);
    assert.notEqual(colours[0], colours[1]);
    assert.equal(colours[3], packColour('#5a5a5a'), 'a point with no category is grey');
  });

  it('colours a multi-label dataset by each finding\'s state', () => {
    const items: (GalleryItem | undefined)[] = [
      { id: 'a', label: null, flagged: false, findings: { positive: ['Edema'], uncertain: [] } },
      { id: 'b', label: null, flagged: false, findings: { positive: [], uncertain: ['Edema'] } },
      { id: 'c', label: null, flagged: false, findings: { positive: ['Mass'], uncertain: [] } },
      undefined,
    ];
    const edema = mapColourings(items, [], ['Edema', 'Mass']).find((c) => c.name === 'finding:Edema')!;
    assert.equal(edema.title, 'Finding Edema');
    assert.deepEqual(edema.categories, ['positive', 'uncertain', 'negative or not mentioned']);
    assert.deepEqual([...edema.codes!], [0, 1, 2, 255]);
    assert.equal(mapColourings(items, ['A', 'B']).filter((c) => c.name.startsWith('finding')).length, 0, 'none without findings');
    // No class on a multi-label set: no class colourings, whether any finding is positive instead, shown first.
    const names = mapColourings(items, [], ['Edema', 'Mass']).map((c) => c.name);
    assert.deepEqual(names.slice(0, 2), ['findings', 'source']);
    assert.ok(!names.some((name) => ['label', 'prediction', 'correctness'].includes(name)), names.join());
    const any = mapColourings(items, [], ['Edema', 'Mass'])[0];
    assert.deepEqual([any.categories, [...any.codes!]], [['a finding positive', 'uncertain only', 'no finding'], [0, 1, 0, 255]]);
  });

  it('folds categories past 254 into "other"', () => {
    const items = Array.from({ length: 300 }, (_, i): GalleryItem => ({ id: `x${i}`, label: null, flagged: false, metadata: { source: `s${i}` } }));
    const source = mapColourings(items, []).find((c) => c.name === 'source')!;
    assert.equal(source.categories!.length, 254);
    assert.equal(source.categories!.at(-1), 'other');
    assert.equal(source.codes![299], 253);
  });

  it('the host refuses map messages that name points the map does not have', () => {
    const parse = (body: unknown): unknown => {
      const parsed = parseFromMapWebview({ messageId: 3, body }, 10);
      return 'refused' in parsed ? 'refused' : parsed.body;
    };
    assert.deepEqual(parse({ type: 'select', indices: [1, 1, 9] }), { type: 'select', indices: [1, 9] });
    assert.deepEqual(parse({ type: 'point', index: 0 }), { type: 'point', index: 0 });
    for (const body of [{ type: 'select', indices: [10] }, { type: 'select', indices: [-1] }, { type: 'select', indices: [0.5] }, { type: 'select', indices: 'all' }, { type: 'point', index: 10 }, { type: 'rm' }, null]) {
      assert.equal(parse(body), 'refused', JSON.stringify(body));
    }
    assert.ok('refused' in parseFromMapWebview({ messageId: -1, body: { type: 'ready' } }, 10));
  });
});
