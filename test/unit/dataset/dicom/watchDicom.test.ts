import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDataset, watchDataset } from '../../../../src/dataset';
import type { DatasetChanges } from '../../../../src/dataset';
import { corpus } from '../../../support/dicomCorpus';
import type { Corpus } from '../../../support/dicomCorpus';

describe('DICOM added while a gallery watches the folder', () => {
  let c: Corpus;
  let root: string;
  before(async function () {
    this.timeout(120_000);
    c = await corpus();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-watch-dicom-'));
    fs.mkdirSync(path.join(root, 'series1'));
    fs.copyFileSync(c.files['IM000001'], path.join(root, 'series1', 'IM000001'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('takes an extension-less DICOM file copied in, and leaves an extension-less text file out', async function () {
    this.timeout(30_000);
    const dataset = await openDataset(root);
    assert.deepEqual(dataset.items.map((item) => item.id), ['series1/IM000001']);
    const batches: DatasetChanges[] = [];
    const watcher = await watchDataset(dataset, (changes) => batches.push(changes), { debounceMs: 100 });
    try {
      fs.writeFileSync(path.join(root, 'series1', 'README'), 'not an image\n');
      fs.copyFileSync(c.files['IM000001'], path.join(root, 'series1', 'IM000002'));
      const deadline = Date.now() + 10_000;
      while (!batches.some((batch) => batch.added.length) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const added = batches.flatMap((batch) => batch.added);
      assert.deepEqual(added.map((item) => [item.id, item.format]), [['series1/IM000002', 'dicom']]);
      assert.deepEqual(dataset.items.map((item) => item.id).sort(), ['series1/IM000001', 'series1/IM000002']);
    } finally {
      await watcher.close();
    }
  });
});
