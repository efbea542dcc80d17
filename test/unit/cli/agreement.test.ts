// End to end on real chest X-rays: three readers label a copy of 12 shared images with `label --reader` following a
// plan with planned disagreements; `agreement` must give the kappas computed by hand for that plan (test/unit/ml/agreement/plan.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stateDirOf } from '../../../src/dataset';
import type { AgreementReport } from '../../../src/ml/agreement';
import { runCli } from '../../support/runCli';
import { CXR_DIR, requireShared } from '../../support/shared';
import { makeTempDir, removeTempDirs } from '../dataset/fixtures';
import { PLAN, PLAN_CLASSES, PLAN_KAPPAS, PLAN_PREDICTED } from '../ml/agreement/plan';

/** Copies the first 4 images of each class of the shared set into class folders of a fresh temp folder. */
async function copyOfTwelve(): Promise<{ root: string; ids: string[] }> {
  const root = await makeTempDir('xray-agreement-');
  const ids: string[] = [];
  for (const name of PLAN_CLASSES) {
    const files = (await fs.readdir(path.join(requireShared(CXR_DIR), name))).sort().slice(0, 4);
    await fs.mkdir(path.join(root, name));
    for (const file of files) {
      await fs.copyFile(path.join(CXR_DIR, name, file), path.join(root, name, file));
      ids.push(`${name}/${file}`);
    }
  }
  return { root, ids };
}

async function label(root: string, reader: string, sets: string[]): Promise<void> {
  const run = await runCli(['label', root, '--reader', reader, ...sets.flatMap((set) => ['--set', set])]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trimEnd().split('\n').length, sets.length);
}

describe('xray-curator agreement', () => {
  after(removeTempDirs);

  it('three readers labelled with label --reader: the hand-computed kappas, alpha, consensus and the model against them', async () => {
    const { root, ids } = await copyOfTwelve();
    assert.deepEqual(ids.map((id) => id.split('/')[0]), ['COVID', 'COVID', 'COVID', 'COVID', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'PNEUMONIA', 'PNEUMONIA', 'PNEUMONIA', 'PNEUMONIA']);
    const plan = (reader: keyof typeof PLAN): string[] => ids.flatMap((id, i) => (PLAN[reader][i] === null ? [] : [`${id}=${PLAN[reader][i]}`]));
    await label(root, 'A', plan('A'));
    // B first reads image 1 as NORMAL, then changes their mind: only the latest reading counts.
    await label(root, 'B', [`${ids[0]}=NORMAL`]);
    await label(root, 'B', plan('B'));
    await label(root, 'C', plan('C'));
    // The latest model version's stored predictions (as Score Dataset writes them).
    const predictions = {
      version: 1,
      modelVersion: 1,
      classes: [...PLAN_CLASSES],
      items: ids.map((id, i) => {
        const probs = PLAN_CLASSES.map((c) => (c === PLAN_PREDICTED[i] ? 0.8 : 0.1));
        return { id, probs, predicted: PLAN_PREDICTED[i], confidence: 0.8, margin: 0.7, entropy: 0.5 };
      }),
      errors: [],
    };
    await fs.mkdir(path.join(stateDirOf(root), 'predictions'), { recursive: true });
    await fs.writeFile(path.join(stateDirOf(root), 'predictions', 'v1.json'), JSON.stringify(predictions));

    const out = path.join(await makeTempDir('xray-agreement-out-'), 'agreement.json');
    const run = await runCli(['agreement', root, '--out', out, '--iterations', '300']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^3 readers, 12 images, 3 pair\(s\): Fleiss' kappa 0\.623, Krippendorff's alpha 0\.665; written to /);
    const report = JSON.parse(await fs.readFile(out, 'utf8')) as AgreementReport;
    assert.equal(report.version, 1);
    const kappa = (a: string, b: string) => report.pairs.find((p) => p.readers.join() === `${a},${b}`)!;
    const close = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);
    assert.deepEqual(report.pairs.map((p) => p.n), [12, 11, 11]);
    close(kappa('A', 'B').kappa.estimate, PLAN_KAPPAS.AB);
    close(kappa('A', 'C').kappa.estimate, PLAN_KAPPAS.AC);
    close(kappa('B', 'C').kappa.estimate, PLAN_KAPPAS.BC);
    close(report.fleiss.estimate, PLAN_KAPPAS.fleiss);
    close(report.alpha.estimate, PLAN_KAPPAS.alpha);
    for (const e of [report.fleiss, report.alpha, kappa('A', 'B').kappa]) assert.ok(e.low! <= e.estimate! && e.estimate! <= e.high!);
    assert.equal(report.bootstrap.iterations, 300);
    close(report.perClass.find((c) => c.name === 'COVID')!.pairs[0].kappa.estimate, PLAN_KAPPAS.covidAB);
    assert.deepEqual(report.consensus, { rule: 'majority', settled: 11, unsettled: [{ item: ids[11], reason: 'tie: COVID 1, PNEUMONIA 1', readings: { A: 'PNEUMONIA', B: 'COVID' } }] });
    const versus = report.modelVsReaders!;
    assert.equal(versus.modelVersion, 'v1');
    assert.deepEqual(versus.model.map((p) => [p.sensitivity, p.specificity]), [[3 / 4, 1], [3 / 4, 6 / 7], [1, 7 / 8]]);
    close(versus.readers.find((r) => r.reader === 'A')!.modelKappa.kappa.estimate, PLAN_KAPPAS.modelA);

    // Other rules and formats.
    const md = path.join(path.dirname(out), 'agreement.md');
    const adjudicated = await runCli(['agreement', root, '--out', md, '--format', 'md', '--consensus', 'adjudicator:A', '--iterations', '100']);
    assert.equal(adjudicated.code, 0, adjudicated.stderr);
    const text = await fs.readFile(md, 'utf8');
    assert.match(text, /- \*\*Consensus:\*\* adjudicator:A: 12 settled, 0 unsettled/);
    assert.match(text, /\| A – B \| 12 \| 0\.63 \(/);
    assert.match(text, /## The model against the readers/);
    const html = path.join(path.dirname(out), 'agreement.html');
    const unanimous = await runCli(['agreement', root, '--out', html, '--format', 'html', '--consensus', 'unanimous', '--iterations', '100']);
    assert.equal(unanimous.code, 0, unanimous.stderr);
    assert.match(await fs.readFile(html, 'utf8'), /<dd>unanimous: 8 settled, 4 unsettled<\/dd>/);
  });

  it('reports wrong arguments with exit code 2', async () => {
    const { root, ids } = await copyOfTwelve();
    const rule = await runCli(['agreement', root, '--out', '/tmp/never.json', '--consensus', 'loudest']);
    assert.equal(rule.code, 2);
    assert.match(rule.stderr, /--consensus: unknown consensus rule "loudest"/);
    const format = await runCli(['agreement', root, '--out', '/tmp/never.json', '--format', 'pdf']);
    assert.equal(format.code, 2);
    const twoNames = await runCli(['label', root, '--reader', 'A', '--user', 'B', '--set', `${ids[0]}=NORMAL`]);
    assert.equal(twoNames.code, 2);
    assert.match(twoNames.stderr, /--reader and --user name two different people/);
    await assert.rejects(fs.access('/tmp/never.json'));
  });
});
