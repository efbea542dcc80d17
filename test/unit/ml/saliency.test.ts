import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { backboneDigest, loadBackbone } from '../../../src/ml/backbone';
import type { Backbone } from '../../../src/ml/backbone';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/ml/config';
import { createHead, readHeadWeights } from '../../../src/ml/head';
import { runJob } from '../../../src/ml/jobs/runJob';
import { saveVersion } from '../../../src/ml/modelStore';
import type { ModelVersion, ModelVersionInfo } from '../../../src/ml/modelStore';
import { decodeToInput, scaleToInput } from '../../../src/ml/preprocess';
import { explainImage, gradCam, SALIENCY_GRID } from '../../../src/ml/saliency';
import type { SaliencyMap, SaliencyParams } from '../../../src/ml/saliency';
import { BACKBONE_DIR, CXR_DIR, requireShared } from '../../support/shared';
import { tempDir } from './mlFixtures';
import type { Fixture } from './mlFixtures';

const CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'];

describe('ml/saliency: Grad-CAM on the real backbone', function () {
  this.timeout(120_000);
  let backbone: Backbone;
  let head: tf.Sequential;
  let input: tf.Tensor4D;
  /** A real chest X-ray from the shared (read-only) set. */
  let image: string;

  before(async () => {
    backbone = await loadBackbone(requireShared(BACKBONE_DIR));
    head = createHead(backbone.featureDim, CLASSES.length, 0.2, 7);
    const manifest = fs.readFileSync(path.join(requireShared(CXR_DIR), 'manifest.csv'), 'utf8').split('\n');
    image = path.join(CXR_DIR, manifest[1].slice(0, manifest[1].indexOf(',')));
    const [height, width] = backbone.inputSize;
    const pixels = new Float32Array(height * width * 3);
    scaleToInput(await decodeToInput(image, width, height), pixels, 0);
    input = tf.tensor4d(pixels, [1, height, width, 3]);
  });

  after(() => {
    input?.dispose();
    head?.dispose();
    backbone?.model.dispose();
  });

  it('gives a 56 × 56 map in [0, 1] with its peak at 1, not constant, for the top class, and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const cam = gradCam(backbone.model, head, input);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    assert.deepEqual([cam.width, cam.height, cam.values.length], [SALIENCY_GRID, SALIENCY_GRID, SALIENCY_GRID ** 2]);
    assert.ok(cam.values.every((v) => v >= 0 && v <= 1), 'a value outside [0, 1]');
    assert.equal(Math.max(...cam.values), 1);
    const mean = cam.values.reduce((a, b) => a + b, 0) / cam.values.length;
    const sd = Math.sqrt(cam.values.reduce((a, v) => a + (v - mean) ** 2, 0) / cam.values.length);
    assert.ok(sd > 0.05, `the map is nearly constant (sd ${sd.toFixed(4)})`);
    assert.ok(Math.abs(cam.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(cam.classIndex, cam.probabilities.indexOf(Math.max(...cam.probabilities)));
  });

  it('equals the closed form relu(Σ_k w[k, c] · A_k) at the feature-map resolution (the gradient is right)', () => {
    const [h, w, channels] = backbone.featureShape;
    const cam = gradCam(backbone.model, head, input, h);
    const features = tf.tidy(() => backbone.model.predict(input) as tf.Tensor4D);
    const a = features.dataSync();
    features.dispose();
    const { kernel, numClasses } = readHeadWeights(head);
    const expected = Array.from({ length: h * w }, (_, cell) => {
      let sum = 0;
      for (let k = 0; k < channels; k++) sum += kernel[k * numClasses + cam.classIndex] * a[cell * channels + k];
      return Math.max(0, sum);
    });
    const max = Math.max(...expected);
    assert.ok(max > 0);
    cam.values.forEach((v, i) => assert.ok(Math.abs(v - expected[i] / max) < 1e-3, `cell ${i}: ${v} vs ${expected[i] / max}`));
  });

  describe('explainImage and the saliency job, on a saved model version', () => {
    let state: Fixture;
    let version: ModelVersion;

    before(async () => {
      state = tempDir('xray-saliency-');
      const digest = await backboneDigest(BACKBONE_DIR);
      const record: Omit<ModelVersionInfo, 'version' | 'modelVersion' | 'createdAt'> = {
        parent: null,
        classes: CLASSES,
        backbone: { id: `mobilenet@${digest.slice(0, 16)}`, digest, location: BACKBONE_DIR, fineTunedBlocks: 0, inputSize: backbone.inputSize, featureDim: backbone.featureDim, preprocessVersion: 1 },
        trainConfig: DEFAULT_TRAIN_CONFIG,
        labelsFingerprint: 'f',
        trainedOn: { train: 0, validation: 0, augmentedViews: 0, perClass: {}, groupedBy: null },
        warmStarted: false,
        bestEpoch: 0,
        history: [],
        metrics: {} as ModelVersionInfo['metrics'],
      };
      version = await saveVersion(state.root, head, record);
    });
    after(() => state?.remove());

    it('explains the predicted class of the file with the version, in a worker thread as in the extension', async () => {
      const params: SaliencyParams = { file: image, versionDir: version.dir };
      const direct = await explainImage(params);
      const cam = gradCam(backbone.model, head, input);
      assert.equal(direct.method, 'grad-cam');
      assert.equal(direct.modelVersion, 1);
      assert.equal(direct.className, CLASSES[cam.classIndex]);
      assert.ok(Math.abs(direct.probability - cam.probabilities[cam.classIndex]) < 1e-5);
      assert.deepEqual([direct.width, direct.height], [SALIENCY_GRID, SALIENCY_GRID]);
      direct.values.forEach((v, i) => assert.ok(Math.abs(v - cam.values[i]) < 1e-4, `value ${i}`));
      const fromWorker = await runJob<SaliencyMap>('saliency', params);
      assert.equal(fromWorker.className, direct.className);
      fromWorker.values.forEach((v, i) => assert.ok(Math.abs(v - direct.values[i]) < 1e-4, `worker value ${i}`));
    });

    it('refuses a backbone that is not the one the version was trained on', async () => {
      const info = JSON.parse(fs.readFileSync(path.join(version.dir, 'version.json'), 'utf8')) as ModelVersionInfo;
      fs.writeFileSync(path.join(version.dir, 'version.json'), JSON.stringify({ ...info, backbone: { ...info.backbone, digest: '0'.repeat(64) } }));
      await assert.rejects(explainImage({ file: image, versionDir: version.dir }), /expected 0{64}/);
    });
  });
});
