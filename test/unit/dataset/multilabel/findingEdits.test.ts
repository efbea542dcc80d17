import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { exportMultiLabel, LabelJournal, openDataset, readJournal } from '../../../../src/dataset';
import { JOURNAL_VERSION, parseJournalLine } from '../../../../src/dataset/journalEntry';
import { mirrorFolder } from '../../../support/mirror';
import type { Mirror } from '../../../support/mirror';
import { runCli } from '../../../support/runCli';
import { NIH14_DIR } from '../../../support/shared';

const ITEM = 'images/00000150_002.png';

/** The `Finding Labels` NIH's file gives an image, as a set. */
function nihFindings(csvFile: string, image: string): Set<string> {
  const rows = parse(fs.readFileSync(csvFile), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const row = rows.find((r) => r['Image Index'] === path.basename(image));
  assert.ok(row, `${image} has a row`);
  return new Set(row['Finding Labels'].split('|'));
}

// A corrected finding, as the issue asks: set by key or script, undoable, and written back into NIH's own file.
describe('multi-label: finding edits in the journal, and the export back into Data_Entry_2017.csv', () => {
  let nih: Mirror;
  let out: string;

  before(() => {
    nih = mirrorFolder(NIH14_DIR);
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-nih-export-'));
  });
  after(() => {
    nih?.remove();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('records a finding set on the command line with its old state, and the dataset then shows it', async () => {
    assert.ok(nihFindings(path.join(nih.root, 'Data_Entry_2017.csv'), ITEM).has('Pneumonia'), 'NIH labels the image Pneumonia');
    const run = await runCli(['label', nih.root, '--finding', `${ITEM}:Pneumonia=negative`]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /finding images\/00000150_002\.png Pneumonia: positive → negative/);
    const [entry] = (await readJournal(nih.root)).entries;
    assert.deepEqual([entry.version, entry.kind, entry.finding, entry.old, entry.new], [JOURNAL_VERSION, 'finding', 'Pneumonia', 'positive', 'negative']);
    const item = (await openDataset(nih.root)).items.find((i) => i.id === ITEM)!;
    assert.equal(item.findings?.Pneumonia, 'negative');
    assert.equal(item.sourceFindings?.Pneumonia, 'positive', 'what the file says is kept apart');
    assert.equal(item.findings?.Atelectasis, 'positive', 'the other findings are untouched');
  });

  it('writes the corrected finding into the exported Data_Entry_2017.csv, and only that record changes', async () => {
    const dataset = await openDataset(nih.root);
    const report = await exportMultiLabel(nih.root, dataset.items, out);
    assert.deepEqual(report.files.map((file) => path.basename(file)), ['Data_Entry_2017.csv']);
    assert.equal(report.changedRecords, 1);
    const exported = nihFindings(path.join(out, 'Data_Entry_2017.csv'), ITEM);
    assert.ok(!exported.has('Pneumonia') && exported.has('Atelectasis') && exported.has('Infiltration'), [...exported].join('|'));
  });

  it('undoes a finding edit with a reversing entry, and refuses an unknown finding or state', async () => {
    const journal = await LabelJournal.open(nih.root);
    const item = (await openDataset(nih.root)).items.find((i) => i.id === ITEM)!;
    await journal.setFinding(item, 'Edema', 'uncertain', { model: 'v1', confidence: 0.71 });
    assert.equal(journal.state.overrides.get(ITEM)?.findings?.Edema, 'uncertain');
    const [undo] = await journal.undo();
    assert.deepEqual([undo.kind, undo.finding, undo.old, undo.new], ['finding', 'Edema', 'uncertain', 'negative']);
    assert.equal((await openDataset(nih.root)).items.find((i) => i.id === ITEM)!.findings?.Edema, 'negative', 'NIH: a finding not listed is negative');
    const unknown = await runCli(['label', nih.root, '--finding', `${ITEM}:Nodulez=positive`]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown finding "Nodulez"/);
    const badState = await runCli(['label', nih.root, '--finding', `${ITEM}:Edema=maybe`]);
    assert.equal(badState.code, 2);
  });

  it('still reads version-1 journal lines, and refuses a finding line without a known state', () => {
    const v1 = { version: 1, id: 'a', group: 'g', time: '2026-01-01T00:00:00Z', user: 'u', kind: 'relabel', item: 'A/x.png', hash: null, old: 'A', new: 'B' };
    assert.equal(parseJournalLine(JSON.stringify(v1)).new, 'B');
    const bad = { ...v1, version: 2, kind: 'finding', finding: 'Edema', new: 'maybe' };
    assert.throws(() => parseJournalLine(JSON.stringify(bad)), /unknown state/);
  });
});
