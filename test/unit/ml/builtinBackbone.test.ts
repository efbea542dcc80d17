import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDemoCopy, packageFile } from '../../../src/dataset/packageFiles';
import { backboneDigest, fetchBackbone } from '../../../src/ml/backbone';
import { BUILTIN_BACKBONE, BUILTIN_BACKBONE_DIGEST, BUILTIN_BACKBONE_NAME, describeBackbone, resolveBackboneLocation } from '../../../src/ml/builtinBackbone';
import { backboneLocation } from '../../../src/ml/modelVersions';
import type { ModelVersion } from '../../../src/ml/modelVersions';
import { openDataset } from '../../../src/dataset';
import { BACKBONE_DIR, requireShared } from '../../support/shared';
import { tempDir } from './mlFixtures';

const PROJECT = path.resolve(__dirname, '..', '..', '..', '..');

describe('the built-in backbone and the shipped demo', () => {
  it('resolves an empty setting and `builtin:` to the shipped folder, pinned to its digest', async () => {
    for (const location of ['', BUILTIN_BACKBONE]) {
      const resolved = resolveBackboneLocation(location);
      assert.equal(resolved.source, path.join(PROJECT, 'models', BUILTIN_BACKBONE_NAME));
      assert.equal(resolved.sha256, BUILTIN_BACKBONE_DIGEST);
    }
    const files = await fetchBackbone(BUILTIN_BACKBONE);
    assert.equal(files.digest, BUILTIN_BACKBONE_DIGEST, 'the shipped files are the pinned ones');
    assert.equal(files.id, `${BUILTIN_BACKBONE_NAME}@${BUILTIN_BACKBONE_DIGEST.slice(0, 16)}`);
    assert.equal(describeBackbone(''), describeBackbone(BUILTIN_BACKBONE));
    assert.match(describeBackbone(''), /built-in MobileNetV2/);
  });

  it('is the shared MobileNetV2 byte for byte, so its embedding caches are shared with a copy of that folder', async () => {
    assert.equal(await backboneDigest(requireShared(BACKBONE_DIR)), BUILTIN_BACKBONE_DIGEST);
    assert.equal((await fetchBackbone(BACKBONE_DIR)).id, (await fetchBackbone(BUILTIN_BACKBONE)).id);
  });

  it('keeps a version trained on it portable: its location is not a path', () => {
    const version = { dir: '/somewhere/models/v3', info: { backbone: { location: BUILTIN_BACKBONE } } } as unknown as ModelVersion;
    assert.equal(backboneLocation(version), BUILTIN_BACKBONE);
  });

  it('copies the demo once into a writable folder, and keeps what the user made there on later calls', async () => {
    const work = tempDir('xray-demo-copy-');
    try {
      const target = path.join(work.root, 'demo');
      await ensureDemoCopy(target);
      const dataset = await openDataset(target);
      assert.equal(dataset.items.length, 36);
      assert.deepEqual(dataset.classes, ['COVID', 'NORMAL', 'PNEUMONIA']);
      assert.deepEqual(new Set(dataset.items.map((item) => item.metadata.source)), new Set(['cxnet', 'kermany', 'nih14']));
      const marker = path.join(target, 'NORMAL', 'mine.txt');
      fs.writeFileSync(marker, 'kept');
      await ensureDemoCopy(target);
      assert.ok(fs.existsSync(marker), 'a second call does not replace the copy');
    } finally {
      work.remove();
    }
  });

  it('names a missing packaged file in its error', () => {
    assert.throws(() => packageFile('models/nothing/model.json'), /models\/nothing\/model\.json is missing from the installed package/);
  });
});
