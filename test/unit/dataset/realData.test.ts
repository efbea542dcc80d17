import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { decodeImage, openDataset } from '../../../src/dataset';
import { mirrorFolder } from '../../support/mirror';
import type { Mirror } from '../../support/mirror';
import { CXR_DIR, CXR_FULLRES_DIR } from '../../support/shared';
import { makeTempDir, removeTempDirs } from './fixtures';

// On mirrors of the shared folders: opening a dataset writes its state folder.
describe('real chest X-rays (../shared)', () => {
  let cxr: Mirror;
  let fullres: Mirror;
  before(() => {
    cxr = mirrorFolder(CXR_DIR);
    fullres = mirrorFolder(CXR_FULLRES_DIR);
  });
  after(async () => {
    cxr?.remove();
    fullres?.remove();
    await removeTempDirs();
  });

  it('opens data/cxr: 502/500/500 items with manifest metadata, no errors', async () => {
    const dataset = await openDataset(cxr.root);
    assert.deepEqual(dataset.classes, ['COVID', 'NORMAL', 'PNEUMONIA']);
    const counts: Record<string, number> = {};
    for (const item of dataset.items) counts[String(item.label)] = (counts[String(item.label)] ?? 0) + 1;
    assert.deepEqual(counts, { COVID: 502, NORMAL: 500, PNEUMONIA: 500 });
    assert.deepEqual(dataset.items.filter((item) => item.error).map((item) => `${item.id}: ${item.error}`), []);
    assert.deepEqual(dataset.problems, []);
    for (const item of dataset.items) {
      assert.ok(item.metadata.patient_id !== undefined && item.metadata.source, `${item.id} has manifest metadata`);
      // The manifest's own sha256 column must agree with the hash computed here.
      assert.equal(item.hash, item.metadata.sha256, item.id);
    }
  });

  it('selects paper-A.txt: 102 COVID + 207 NORMAL', async () => {
    const dataset = await openDataset(cxr.root, { files: path.join(cxr.root, 'paper-A.txt') });
    const covid = dataset.items.filter((item) => item.label === 'COVID').length;
    const normal = dataset.items.filter((item) => item.label === 'NORMAL').length;
    assert.deepEqual([covid, normal, dataset.items.length], [102, 207, 309]);
  });

  it('decodes every full-resolution file to a model input and a thumbnail', async function () {
    this.timeout(120_000);
    const dataset = await openDataset(fullres.root);
    assert.equal(dataset.items.length, 14);
    const cacheDir = await makeTempDir('xray-thumbs-');
    for (const item of dataset.items) {
      assert.equal(item.error, undefined, item.id);
      assert.equal(`${item.width}`, item.metadata.width, `${item.id} width from the header`);
      const result = await decodeImage(item.absPath, { modelSize: 224, thumbnail: { hash: item.hash!, cacheDir } });
      assert.equal(result.model?.data.length, 224 * 224 * 3, item.id);
      assert.ok(result.thumbnailPath?.endsWith('.webp'), item.id);
    }
  });
});
