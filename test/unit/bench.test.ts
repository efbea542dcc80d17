// The benchmark suite's own logic (no benchmark is run here): statistics, targets, and the comparison that
// reports regressions against the previous results.
import * as assert from 'node:assert/strict';
import { parseBenchArgs } from '../../bench/lib/child';
import { figureSpec, meets } from '../../bench/lib/figures';
import { makeFigure, regressions, renderMarkdown } from '../../bench/lib/report';
import type { Results } from '../../bench/lib/report';
import { median, percentile } from '../../bench/lib/stats';

function results(figures: [string, number | boolean][], quick = false): Results {
  return {
    version: 1,
    date: '2026-11-26T12:00:00Z',
    quick,
    machine: { cores: 2, cpu: 'test', memoryGB: 1, loadAverageAtStart: [0, 0, 0], platform: 'test' },
    node: 'v20',
    commit: 'abc',
    wallSeconds: 1,
    figures: figures.map(([key, value]) => makeFigure(key, 'b', [value], median)),
    benchmarks: [],
  };
}

describe('bench: statistics and arguments', () => {
  it('takes medians and nearest-rank percentiles', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.equal(median([]), null);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99), 10);
  });

  it('parses the runner options', () => {
    const args = parseBenchArgs(['--quick', '--engine', 'cpu', '--work', '/tmp/w']);
    assert.equal(args.quick, true);
    assert.equal(args.work, '/tmp/w');
    assert.equal(args.options.get('engine'), 'cpu');
  });
});

describe('bench: targets and regressions', () => {
  it('knows the targets of the other issues', () => {
    assert.deepEqual(figureSpec('embed.wasm.ratio').target, { op: '>=', value: 1, note: 'issue 12' });
    assert.deepEqual(figureSpec('head.10000.retrainPredictMs').target, { op: '<=', value: 2000 });
    assert.equal(figureSpec('head.1000.retrainPredictMs').target, undefined);
    assert.deepEqual(figureSpec('quality.cxr.bootstrapSeconds'), { label: 'metrics with 1,000 patient-bootstrap resamples, cxr', unit: 's', better: 'lower', target: { op: '<=', value: 1 } });
    assert.equal(figureSpec('quality.cxr.balancedAccuracy').better, 'higher');
    // The gallery in the real editor, by size (issue 12), and "more like this" (issue 16).
    assert.deepEqual(figureSpec('editor.50000.firstTileWarmMs').target, { op: '<=', value: 1000 });
    assert.deepEqual(figureSpec('editor.400000.firstTileWarmMs').target, { op: '<=', value: 2000 });
    assert.equal(figureSpec('editor.400000.firstTileColdMs').target, undefined);
    assert.deepEqual(figureSpec('editor.400000.extensionHostMB').target, { op: '<=', value: 600 });
    assert.equal(figureSpec('editor.50000.extensionHostMB').target, undefined);
    assert.deepEqual(figureSpec('editor.50000.relabelP99Ms').target, { op: '<=', value: 20 });
    assert.equal(figureSpec('editor.400000.scrollFps').label, 'editor, 400,000 images: scrolling top to bottom');
    assert.deepEqual(figureSpec('similarity.400000.queryMs').target, { op: '<=', value: 100 });
    assert.equal(meets(0.4, { op: '>=', value: 0.5 }), false);
    assert.equal(meets(true, { op: '==', value: true }), true);
    assert.equal(meets(null, { op: '<=', value: 1 }), null);
  });

  it('a pass/fail figure passes only when every run passed', () => {
    assert.equal(makeFigure('head.1000.noTensorLeak', 'head', [true, false, true], median).value, false);
    assert.equal(makeFigure('gallery.firstTileMs', 'gallery', [900, 1200, 800], median).pass, true);
  });

  it('reports only what got more than 10% worse, in the right direction', () => {
    const before = results([['embed.wasm.imgPerSec', 40], ['gallery.firstTileMs', 500], ['scan.coldSeconds', 10], ['head.1000.noTensorLeak', true]]);
    const after = results([['embed.wasm.imgPerSec', 30], ['gallery.firstTileMs', 400], ['scan.coldSeconds', 10.5], ['head.1000.noTensorLeak', false]]);
    const worse = regressions(after, before);
    assert.equal(worse.length, 2);
    assert.match(worse[0], /embedding throughput, wasm: 40 → 30 images\/s \(25% lower\)/);
    assert.match(worse[1], /no tensor leak.*was yes, now no/);
    assert.deepEqual(regressions(after, null), []);
  });

  it('renders the targets table with pass and fail', () => {
    const markdown = renderMarkdown(results([['fineTune.wasm.secondsPerStep', 0.6], ['audit.1502.seconds', 12]]), []);
    assert.match(markdown, /\| fine-tune step \(1 block, batch 16\), wasm \| 0\.6 \| s \| <= 1 \| pass \|/);
    assert.match(markdown, /\| audit, 1,502 cached items \| 12 \| s \| <= 10 \| \*\*FAIL\*\* \|/);
  });
});
