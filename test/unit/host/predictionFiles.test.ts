import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { predictionsDir } from '../../../src/ml/predictionFiles';
import { latestPredictions } from '../../../src/host/predictionFiles';

describe('prediction files the gallery reads', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-predictions-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const write = (version: number, predicted: string): void => {
    fs.mkdirSync(predictionsDir(root), { recursive: true });
    const items = [{ id: 'a.png', probs: [0.6, 0.4], predicted, confidence: 0.6, margin: 0.2, entropy: 0.9 }];
    fs.writeFileSync(path.join(predictionsDir(root), `v${version}.json`), JSON.stringify({ version: 1, modelVersion: version, classes: ['COVID', 'NORMAL'], items, errors: [] }));
  };

  it('is undefined without a model', async () => {
    assert.equal(await latestPredictions(root), undefined);
  });

  it('reads the latest version (numerically, v10 after v9) with the one before it as previous', async () => {
    write(9, 'COVID');
    write(10, 'NORMAL');
    const set = await latestPredictions(root);
    assert.equal(set?.model, 'v10');
    assert.equal(set?.predictions[0].predicted, 'NORMAL');
    assert.equal(set?.previous?.[0].predicted, 'COVID');
  });

  it('skips parsing when the latest version is the one shown', async () => {
    write(1, 'COVID');
    assert.equal(await latestPredictions(root, 'v1'), undefined);
  });

  it('refuses a file of another format with its path in the message', async () => {
    fs.mkdirSync(predictionsDir(root), { recursive: true });
    fs.writeFileSync(path.join(predictionsDir(root), 'v1.json'), JSON.stringify({ version: 99 }));
    await assert.rejects(latestPredictions(root), /v1\.json: not a predictions file/);
  });
});
