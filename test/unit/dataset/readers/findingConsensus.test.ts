// The readers' consensus per finding on a multi-label dataset (NIH's own rows): with readers.json, each finding the
// readers stated takes their consensus, an unsettled one keeps the file's label, and the warning names the finding.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDataset, stateDirOf } from '../../../../src/dataset';
import type { AgreementReport } from '../../../../src/ml/agreement';
import { parseConsensusRule, writeConsensusRule } from '../../../../src/dataset/readers';
import { mirrorFolder } from '../../../support/mirror';
import type { Mirror } from '../../../support/mirror';
import { runCli } from '../../../support/runCli';
import { NIH14_DIR } from '../../../support/shared';

const ITEM = 'images/00000150_002.png';

describe("multi-label: the readers' consensus per finding", () => {
  let nih: Mirror;

  before(async () => {
    nih = mirrorFolder(NIH14_DIR);
    // NIH labels the image Atelectasis, Infiltration and Pneumonia. Two of three readers say no Pneumonia;
    // Edema (not in NIH's row: negative): one positive, one uncertain (a tie), one reader silent.
    const read = async (reader: string, findings: string[]): Promise<void> => {
      const run = await runCli(['label', nih.root, '--reader', reader, ...findings.flatMap((f) => ['--finding', `${ITEM}:${f}`])]);
      assert.equal(run.code, 0, run.stderr);
    };
    await read('R1', ['Pneumonia=negative', 'Edema=positive']);
    await read('R2', ['Pneumonia=negative', 'Edema=uncertain']);
    await read('R3', ['Pneumonia=positive']);
  });
  after(() => nih?.remove());

  const findingsOf = async (): Promise<{ findings: Record<string, string>; warnings: string[] }> => {
    const dataset = await openDataset(nih.root);
    return { findings: { ...dataset.items.find((i) => i.id === ITEM)!.findings }, warnings: dataset.warnings.filter((w) => /consensus/.test(w)) };
  };

  it('without readers.json the latest edit wins, finding by finding', async () => {
    const { findings } = await findingsOf();
    assert.deepEqual([findings.Pneumonia, findings.Edema, findings.Atelectasis], ['positive', 'uncertain', 'positive']);
  });

  it('majority: Pneumonia is negative (2 of 3); the Edema tie keeps the file label and is named', async () => {
    await writeConsensusRule(nih.root, parseConsensusRule('majority'));
    const { findings, warnings } = await findingsOf();
    assert.equal(findings.Pneumonia, 'negative');
    assert.equal(findings.Edema, 'negative', "the file's label: NIH's row does not list Edema");
    assert.equal(findings.Atelectasis, 'positive', 'a finding nobody read keeps the file label');
    assert.match(warnings.join('\n'), /^1 label\(s\) without a majority consensus of their readers keep their folder, manifest or label file's value: images\/00000150_002\.png \(Edema: tie: positive 1, uncertain 1\)$/);
  });

  it('unanimous: neither is settled; reader:R1 takes R1\'s findings', async () => {
    await writeConsensusRule(nih.root, parseConsensusRule('unanimous'));
    let { findings } = await findingsOf();
    assert.deepEqual([findings.Pneumonia, findings.Edema], ['positive', 'negative'], 'the file labels');
    await writeConsensusRule(nih.root, parseConsensusRule('reader:R1'));
    ({ findings } = await findingsOf());
    assert.deepEqual([findings.Pneumonia, findings.Edema], ['negative', 'positive']);
  });

  it("agreement measures the findings model against the readers per finding, from its predictions file", async () => {
    await writeConsensusRule(nih.root, parseConsensusRule('majority'));
    const findings = (await openDataset(nih.root)).multiLabel!.findings;
    // The findings model calls Pneumonia (0.7 at a threshold of 0.5), which the readers' majority says is absent.
    const probs = findings.map((f) => (f === 'Pneumonia' ? 0.7 : 0.2));
    fs.mkdirSync(path.join(stateDirOf(nih.root), 'predictions'), { recursive: true });
    const file = { version: 1, kind: 'findings', modelVersion: 4, findings, thresholds: findings.map(() => 0.5), items: [{ id: ITEM, probs }], errors: [] };
    fs.writeFileSync(path.join(stateDirOf(nih.root), 'predictions', 'findings-v4.json'), JSON.stringify(file));
    const out = path.join(nih.root, 'agreement.json');
    const run = await runCli(['agreement', nih.root, '--out', out, '--iterations', '20']);
    assert.equal(run.code, 0, run.stderr);
    const versus = (JSON.parse(fs.readFileSync(out, 'utf8')) as AgreementReport).modelVsReaders!;
    assert.equal(versus.modelVersion, 'v4');
    const pneumonia = (points: typeof versus.model) => points.find((p) => p.class === 'Pneumonia')!;
    assert.deepEqual([pneumonia(versus.model).negatives, pneumonia(versus.model).specificity], [1, 0]);
    const reader = (name: string) => versus.readers.find((r) => r.reader === name)!;
    assert.equal(pneumonia(reader('R1').perClass).specificity, 1);
    assert.equal(pneumonia(reader('R3').perClass).specificity, 0);
  });

  it("an adjudicator's decision on a finding (label --adjudicate ITEM:FINDING=STATE) settles the tie", async () => {
    await writeConsensusRule(nih.root, parseConsensusRule('majority'));
    const run = await runCli(['label', nih.root, '--reader', 'DR', '--adjudicate', `${ITEM}:Edema=positive`, '--reason', 'interstitial edema on the film']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /finding images\/00000150_002\.png Edema: .* → positive \(adjudicated: interstitial edema on the film\)/);
    const { findings, warnings } = await findingsOf();
    assert.equal(findings.Edema, 'positive');
    assert.deepEqual(warnings, [], 'nothing is left unsettled');
    const out = path.join(nih.root, 'agreement-decided.json');
    assert.equal((await runCli(['agreement', nih.root, '--out', out, '--iterations', '20'])).code, 0);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as AgreementReport;
    assert.equal(report.consensus.adjudicated, 1);
    assert.ok(!report.readers.includes('DR'), 'a decision is not a reading');
  });
});
