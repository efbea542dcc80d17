import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_VERSION_FORMAT, modelsDir } from '../../../src/ml/modelStore';
import { buildReport, renderHtml, renderMarkdown } from '../../../src/ml/report';
import { learningCurve } from '../../../src/ml/report/learningCurve';
import { TWO_CLASSES, twoClassItems } from './reportFixtures';
import { tempDir } from './mlFixtures';

const estimate = (value: number | null, low: number | null = null, high: number | null = null): { estimate: number | null; low: number | null; high: number | null } => ({ estimate: value, low, high });

describe('report: the learning curve over model versions', () => {
  it('reads each version\'s labels and validation metrics, oldest first, up to the version reported', async () => {
    const state = tempDir('xray-learning-');
    try {
      const write = (v: number, train: number, ba: number | null): void => {
        const dir = path.join(modelsDir(state.root), `v${v}`);
        fs.mkdirSync(dir, { recursive: true });
        const info = { version: MODEL_VERSION_FORMAT, modelVersion: v, trainedOn: { train, validation: 10 }, metrics: { balancedAccuracy: estimate(ba, 0.5, 0.9), macroAuc: estimate(0.8) } };
        fs.writeFileSync(path.join(dir, 'version.json'), JSON.stringify(info));
      };
      write(1, 20, 0.6);
      write(2, 40, 0.7);
      write(3, 60, null);
      write(4, 80, 0.9);
      fs.mkdirSync(path.join(modelsDir(state.root), 'v5'));
      const points = await learningCurve(state.root, 3);
      assert.deepEqual(points.map((p) => [p.version, p.trainLabels, p.balancedAccuracy.estimate]), [['v1', 20, 0.6], ['v2', 40, 0.7], ['v3', 60, null]]);

      const report = buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version: 'v3' }, learningCurve: points }, { bootstrap: false });
      const md = renderMarkdown(report);
      assert.match(md, /## Learning curve/);
      assert.ok(md.includes('| v2 | 40 | 10 | 0.70 (0.50–0.90) | 0.80 |'), md.slice(md.indexOf('## Learning curve')));
      const html = renderHtml(report);
      assert.match(html, /<svg[^>]*id="learning"/);
      assert.equal((html.match(/<circle /g) ?? []).length, 5, 'a dot per defined point: 2 balanced accuracies, 3 AUCs');
      assert.match(html, />60<\/text>/, 'the x axis counts labels up to the most');
      assert.doesNotMatch(renderMarkdown(buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version: 'v1' } }, { bootstrap: false })), /Learning curve/);
    } finally {
      state.remove();
    }
  });
});
