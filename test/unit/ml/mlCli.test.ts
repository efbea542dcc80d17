import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_BACKBONE, BUILTIN_BACKBONE_DIGEST, BUILTIN_BACKBONE_NAME } from '../../../src/ml/builtinBackbone';
import { PROJECT_ROOT } from '../../host/vscodeHost';
import { mirrorFolder } from '../../support/mirror';
import { BUNDLED_CLI, runCli } from '../../support/runCli';
import { BACKBONE_DIR, requireShared } from '../../support/shared';
import { syntheticDataset, tempDir } from './mlFixtures';
import type { Fixture } from './mlFixtures';

/** The tool without a default backbone from the environment: every backbone comes from the command line. */
const cli = (args: string[]): ReturnType<typeof runCli> => runCli(args, { ...process.env, XRAY_CURATOR_BACKBONE: '' });

describe('xray-curator train / predict / evaluate', function () {
  this.timeout(120_000);
  let data: Fixture;
  let other: Fixture;
  let out: Fixture;

  before(async () => {
    requireShared(BACKBONE_DIR);
    data = await syntheticDataset(8);
    other = await syntheticDataset(4, 500);
    out = tempDir('xray-cli-ml-');
  });
  after(() => {
    for (const f of [data, other, out]) f.remove();
  });

  it('trains, then predicts and evaluates with the stable JSON shapes', async () => {
    const train = await cli(['train', data.root, '--backbone', BACKBONE_DIR, '--epochs', '5', '--seed', '1', '--augment-views', '0', '--classes', 'B,A']);
    assert.equal(train.code, 0, train.stderr);
    const trained = JSON.parse(train.stdout) as { version: number; modelVersion: number; dir: string; classes: string[]; metrics: { n: number; balancedAccuracy: { estimate: number } } };
    assert.equal(trained.version, 1);
    assert.equal(trained.modelVersion, 1);
    assert.deepEqual(trained.classes, ['B', 'A']);
    assert.equal(trained.dir, path.join(data.root, '.xray-curator', 'models', 'v1'));
    assert.ok(trained.metrics.n > 0);

    const predictionsFile = path.join(out.root, 'predictions.json');
    const predict = await cli(['predict', data.root, '--out', predictionsFile]);
    assert.equal(predict.code, 0, predict.stderr);
    const predictions = JSON.parse(fs.readFileSync(predictionsFile, 'utf8')) as { version: number; modelVersion: number; classes: string[]; items: Record<string, unknown>[] };
    assert.equal(predictions.version, 1);
    assert.equal(predictions.modelVersion, 1);
    assert.deepEqual(predictions.classes, ['B', 'A']);
    assert.equal(predictions.items.length, 16);
    assert.deepEqual(Object.keys(predictions.items[0]).sort(), ['confidence', 'entropy', 'id', 'margin', 'predicted', 'probs']);

    const evaluationFile = path.join(out.root, 'evaluation.json');
    const evaluate = await cli(['evaluate', '--model', trained.dir, other.root, '--out', evaluationFile]);
    assert.equal(evaluate.code, 0, evaluate.stderr);
    const evaluation = JSON.parse(fs.readFileSync(evaluationFile, 'utf8')) as { version: number; n: number; bySource: Record<string, unknown>; overall: { confusion: number[][] } };
    assert.equal(evaluation.version, 1);
    assert.equal(evaluation.n, 8);
    assert.deepEqual(Object.keys(evaluation.bySource).sort(), ['s1', 's2']);
    assert.equal(evaluation.overall.confusion.length, 2);
  });

  it('fine-tunes with --fine-tune-blocks and predicts with the version\'s own backbone, whatever XRAY_CURATOR_BACKBONE says', async () => {
    const train = await cli(['train', data.root, '--backbone', BACKBONE_DIR, '--epochs', '3', '--augment-views', '0', '--fine-tune-blocks', '1']);
    assert.equal(train.code, 0, train.stderr);
    const trained = JSON.parse(train.stdout) as { modelVersion: number; backbone: string };
    assert.match(trained.backbone, /-ft1@/);
    const file = path.join(out.root, 'tuned.json');
    // The environment names a default for commands without a model; it must not swap a model's own features.
    const predict = await runCli(['predict', data.root, '--out', file], { ...process.env, XRAY_CURATOR_BACKBONE: BACKBONE_DIR });
    assert.equal(predict.code, 0, predict.stderr);
    assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as { modelVersion: number }).modelVersion, trained.modelVersion);
  });

  it('trains the shipped demo with the built-in backbone when neither --backbone nor the environment names one (the bundled CLI)', async () => {
    const demo = mirrorFolder(path.join(PROJECT_ROOT, 'demo-dataset'));
    try {
      const train = await runCli(['train', demo.root, '--epochs', '5', '--augment-views', '0'], { ...process.env, XRAY_CURATOR_BACKBONE: '' }, BUNDLED_CLI);
      assert.equal(train.code, 0, train.stderr);
      const trained = JSON.parse(train.stdout) as { dir: string; backbone: string; classes: string[] };
      assert.equal(trained.backbone, `${BUILTIN_BACKBONE_NAME}@${BUILTIN_BACKBONE_DIGEST.slice(0, 16)}`);
      assert.deepEqual(trained.classes, ['COVID', 'NORMAL', 'PNEUMONIA']);
      const info = JSON.parse(fs.readFileSync(path.join(trained.dir, 'version.json'), 'utf8')) as { backbone: { location: string } };
      assert.equal(info.backbone.location, BUILTIN_BACKBONE, 'the version names the built-in backbone the same way on every machine');
    } finally {
      demo.remove();
    }
  });

  it('fails with a message on stderr and a non-zero exit code', async () => {
    const noModel = await cli(['predict', other.root, '--out', path.join(out.root, 'x.json')]);
    assert.equal(noModel.code, 1);
    assert.match(noModel.stderr, /no model trained yet/);
    const badBackbone = await cli(['train', other.root, '--backbone', out.root]);
    assert.equal(badBackbone.code, 1);
    assert.match(badBackbone.stderr, /backbone folder has no readable model\.json/);
    const noOut = await cli(['evaluate', '--model', out.root, other.root]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /missing --out/);
    const badModel = await cli(['evaluate', '--model', out.root, other.root, '--out', path.join(out.root, 'y.json')]);
    assert.equal(badModel.code, 1);
    assert.match(badModel.stderr, /not a model version folder/);
  });
});
