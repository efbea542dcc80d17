// `label`'s reading study from the command line: readers.json as the options write it, refusals that leave it as it
// was, and an adjudicator's decision with its reason, which the agreement report then counts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJournal, stateDirOf } from '../../../src/dataset';
import type { AgreementReport } from '../../../src/ml/agreement';
import { runCli } from '../../support/runCli';
import { syntheticDataset } from '../ml/mlFixtures';
import type { Fixture } from '../ml/mlFixtures';

describe('xray-curator label: the reading study and adjudication', function () {
  this.timeout(60_000);
  let data: Fixture;
  const readersFile = (): unknown => JSON.parse(fs.readFileSync(path.join(stateDirOf(data.root), 'readers.json'), 'utf8'));

  beforeEach(async () => {
    data = await syntheticDataset(3);
  });
  afterEach(() => data.remove());

  it('writes the study the options name, and each later option changes only what it names', async () => {
    const setUp = await runCli(['label', data.root, '--readers', 'R1, R2,R3', '--readers-per-item', '2', '--blind', '--consensus', 'majority']);
    assert.equal(setUp.code, 0, setUp.stderr);
    assert.match(setUp.stdout, /^reading study: 3 readers \(R1, R2, R3\), 2 per image, blind, majority consensus$/m);
    assert.deepEqual(readersFile(), { version: 2, consensus: 'majority', blind: true, readersPerItem: 2, readers: ['R1', 'R2', 'R3'] });

    assert.equal((await runCli(['label', data.root, '--open'])).code, 0);
    assert.deepEqual(readersFile(), { version: 2, consensus: 'majority', blind: false, readersPerItem: 2, readers: ['R1', 'R2', 'R3'] });

    assert.equal((await runCli(['label', data.root, '--consensus', 'adjudicator:R3'])).code, 0);
    assert.deepEqual(readersFile(), { version: 2, consensus: 'adjudicator:R3', blind: false, readersPerItem: 2, readers: ['R1', 'R2', 'R3'], adjudicator: 'R3' });
  });

  it('refuses a study that cannot be, and leaves readers.json as it was', async () => {
    assert.equal((await runCli(['label', data.root, '--readers', 'R1,R2', '--blind'])).code, 0);
    const before = readersFile();
    const tooMany = await runCli(['label', data.root, '--readers-per-item', '3']);
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /3 readers per image, but only 2 readers/);
    const twice = await runCli(['label', data.root, '--readers', 'R1,R1']);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /a reader is named twice/);
    const both = await runCli(['label', data.root, '--blind', '--open']);
    assert.equal(both.code, 2);
    const latest = await runCli(['label', data.root, '--consensus', 'latest', '--blind']);
    assert.equal(latest.code, 2);
    assert.match(latest.stderr, /needs a consensus rule/);
    assert.deepEqual(readersFile(), before);
  });

  it('journals an adjudicated decision with its reason; the consensus and the agreement report take it', async () => {
    const item = 'A/img0.png';
    assert.equal((await runCli(['label', data.root, '--readers', 'R1,R2', '--consensus', 'unanimous'])).code, 0);
    assert.equal((await runCli(['label', data.root, '--reader', 'R1', '--set', `${item}=A`])).code, 0);
    assert.equal((await runCli(['label', data.root, '--reader', 'R2', '--set', `${item}=B`])).code, 0);

    const noReason = await runCli(['label', data.root, '--reader', 'ADJ', '--adjudicate', `${item}=B`]);
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /--adjudicate needs --reason/);
    const strayReason = await runCli(['label', data.root, '--reader', 'ADJ', '--set', `${item}=B`, '--reason', 'why']);
    assert.equal(strayReason.code, 2);

    const decided = await runCli(['label', data.root, '--reader', 'ADJ', '--adjudicate', `${item}=B`, '--reason', 'consolidation in the left lower lobe']);
    assert.equal(decided.code, 0, decided.stderr);
    assert.match(decided.stdout, /relabel A\/img0\.png: .* → B \(adjudicated: consolidation in the left lower lobe\)/);
    const last = (await readJournal(data.root)).entries.at(-1)!;
    assert.equal(last.kind, 'relabel');
    assert.equal(last.user, 'ADJ');
    assert.deepEqual(last.kind === 'relabel' && last.adjudication, { reason: 'consolidation in the left lower lobe' });

    const out = path.join(data.root, 'agreement.json');
    const agreement = await runCli(['agreement', data.root, '--out', out, '--iterations', '50']);
    assert.equal(agreement.code, 0, agreement.stderr);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as AgreementReport;
    // The decision is not a third reading: two readers, one pair, and the unanimous rule settled by the decision.
    assert.deepEqual(report.readers, ['R1', 'R2']);
    assert.equal(report.consensus.adjudicated, 1);
    assert.ok(!report.consensus.unsettled.some((u) => u.item === item), JSON.stringify(report.consensus.unsettled));
  });
});
