import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LabelJournal, openDataset, readJournal } from '../../../src/dataset';
import { CLI, runCli } from '../../support/runCli';
import { makeClassFolders, makeTempDir, pngBytes, removeTempDirs, writeFile } from '../dataset/fixtures';

describe('xray-curator command line', () => {
  after(removeTempDirs);

  it('scan writes classes, counts, items with label, hash and metadata, and every error with its reason', async () => {
    const root = await makeTempDir('xray-cli-');
    await makeClassFolders(root, { COVID: 2, NORMAL: 1 });
    await writeFile(root, 'NORMAL/empty.png', Buffer.alloc(0));
    await writeFile(root, 'manifest.csv', 'path,label,patient_id\nCOVID/img0.png,COVID,p7\n../../etc/passwd,COVID,x\n');
    const out = path.join(await makeTempDir('xray-cli-out-'), 'scan.json');
    const run = await runCli(['scan', root, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /4 items \(COVID 2, NORMAL 1, \(error\) 1\); 2 errors/);
    const report = JSON.parse(await fs.readFile(out, 'utf8'));
    assert.equal(report.version, 1);
    assert.deepEqual(report.classes, ['COVID', 'NORMAL']);
    assert.deepEqual(report.counts, { COVID: 2, NORMAL: 1, '(error)': 1 });
    const first = report.items.find((item: { id: string }) => item.id === 'COVID/img0.png');
    assert.deepEqual([first.label, first.metadata, first.hash.length], ['COVID', { patient_id: 'p7' }, 64]);
    assert.deepEqual(report.errors, [
      { where: 'NORMAL/empty.png', reason: 'empty file (0 bytes)' },
      { where: 'manifest.csv:3', reason: 'path leaves the dataset folder: ../../etc/passwd' },
    ]);
  });

  it('scan --verify decodes every image and reports pixel data the header check let through', async () => {
    const root = await makeTempDir('xray-cli-');
    await makeClassFolders(root, { COVID: 1 });
    const png = Buffer.from(await pngBytes(3, 128, 128));
    // Damage the compressed pixel data but keep the header and the IEND chunk.
    png.fill(0x55, png.indexOf('IDAT') + 20, png.length - 20);
    await writeFile(root, 'COVID/damaged.png', png);
    const out = path.join(root, '..', `${path.basename(root)}-scan.json`);
    const plain = await runCli(['scan', root, '--out', out]);
    assert.match(plain.stdout, /0 errors/);
    const verified = await runCli(['scan', root, '--verify', '--out', out]);
    assert.equal(verified.code, 0, verified.stderr);
    const report = JSON.parse(await fs.readFile(out, 'utf8'));
    assert.deepEqual(report.errors.map((error: { where: string }) => error.where), ['COVID/damaged.png']);
    assert.match(report.errors[0].reason, /cannot decode PNG image/);
    await fs.rm(out);
  });

  it('reports usage errors with exit code 2 and runtime errors with exit code 1', async () => {
    const noOut = await runCli(['scan', '/tmp']);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /missing --out FILE\.json\nUsage: xray-curator scan DATASET/);
    const unknownOption = await runCli(['label', '/tmp', '--bogus']);
    assert.equal(unknownOption.code, 2);
    assert.match(unknownOption.stderr, /Unknown option '--bogus'/);
    const unknownCommand = await runCli(['frobnicate']);
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /unknown command "frobnicate"/);
    const missing = await runCli(['scan', '/nonexistent/dataset', '--out', '/tmp/never.json']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /dataset folder not found/);
  });

  it('label records --set, --flag, --unflag and --from-csv edits in order and prints each one', async () => {
    const root = await makeTempDir('xray-cli-');
    await makeClassFolders(root, { COVID: 2, NORMAL: 2 });
    const csv = await writeFile(await makeTempDir('xray-cli-csv-'), 'edits.csv', '\uFEFFpath,label,flagged\r\nNORMAL/img0.png,COVID,\r\nNORMAL/img1.png,,true\r\n');
    const run = await runCli(['label', root, '--set', 'COVID/img0.png=NORMAL', '--flag', 'COVID/img1.png', '--from-csv', csv, '--unflag', 'COVID/img1.png', '--user', 'script']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0], /^recorded [0-9a-f-]{36} relabel COVID\/img0\.png: COVID → NORMAL$/);
    assert.match(lines[1], /flag COVID\/img1\.png$/);
    assert.match(lines[2], /relabel NORMAL\/img0\.png: NORMAL → COVID$/);
    assert.match(lines[3], /flag NORMAL\/img1\.png$/);
    assert.match(lines[4], /unflag COVID\/img1\.png$/);
    const journal = await readJournal(root);
    assert.deepEqual(journal.entries.map((entry) => [entry.kind, entry.item, entry.user]), [
      ['relabel', 'COVID/img0.png', 'script'],
      ['flag', 'COVID/img1.png', 'script'],
      ['relabel', 'NORMAL/img0.png', 'script'],
      ['flag', 'NORMAL/img1.png', 'script'],
      ['unflag', 'COVID/img1.png', 'script'],
    ]);
    const dataset = await openDataset(root);
    assert.deepEqual(dataset.items.map((item) => `${item.id}=${item.label}${item.flagged ? '!' : ''}`), ['COVID/img0.png=NORMAL', 'COVID/img1.png=COVID', 'NORMAL/img0.png=COVID', 'NORMAL/img1.png=NORMAL!']);
  });

  it('label records nothing and exits 1 on an unknown item or class', async () => {
    const root = await makeTempDir('xray-cli-');
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    const run = await runCli(['label', root, '--set', 'COVID/img0.png=NORMAL', '--set', 'COVID/img0.png=PNEUMONIA', '--flag', 'COVID/nope.png']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /nothing recorded:\n {2}--set: unknown class "PNEUMONIA" \(classes: COVID, NORMAL\)\n {2}--flag: unknown item "COVID\/nope\.png"/);
    assert.deepEqual((await readJournal(root)).entries, []);
  });

  it('keeps every acknowledged edit when killed with SIGKILL in the middle of 1,000 relabels', async function () {
    this.timeout(120_000);
    const root = await makeTempDir('xray-cli-kill-');
    const ids = await makeClassFolders(root, { COVID: 10, NORMAL: 10 });
    const rows = Array.from({ length: 1000 }, (_, i) => `${ids[i % ids.length]},${Math.floor(i / ids.length) % 2 === 0 ? 'PNEUMONIA' : 'COVID'}`);
    await fs.mkdir(path.join(root, 'PNEUMONIA'));
    await writeFile(root, 'PNEUMONIA/p.png', await pngBytes(500));
    const csv = await writeFile(await makeTempDir('xray-cli-csv-'), 'edits.csv', `path,label\n${rows.join('\n')}\n`);

    const child = spawn(process.execPath, [CLI, 'label', root, '--from-csv', csv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let pending = '';
    const killAfter = 400;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) acked.push(line.split(' ')[1]);
      if (acked.length >= killAfter) child.kill('SIGKILL');
    });
    assert.equal(await exited, 'SIGKILL');
    assert.ok(acked.length >= killAfter && acked.length < 1000, `killed in the middle: ${acked.length} acknowledged`);

    const contents = await readJournal(root);
    assert.ok(contents.warnings.every((warning) => /incomplete last line/.test(warning)), contents.warnings.join('\n'));
    const recorded = contents.entries.map((entry) => entry.id);
    assert.deepEqual(recorded.slice(0, acked.length), acked, 'every acknowledged edit is there, in order');
    assert.ok(recorded.length <= acked.length + 1, 'at most the edit in flight was written without its acknowledgement');
    // Each row relabels its item, so an item's effective label is that of its last recorded row.
    const dataset = await openDataset(root);
    for (let i = 0; i < recorded.length; i++) {
      if (i + ids.length < recorded.length) continue;
      const [id, label] = rows[i].split(',');
      assert.equal(dataset.items.find((item) => item.id === id)?.label, label, `${id} after row ${i}`);
    }
    // The journal stays usable: the killed process's lock is taken over.
    const journal = await LabelJournal.open(root);
    await journal.flag(dataset.items[0]);
    assert.equal((await readJournal(root)).entries.length, recorded.length + 1);
  });

  it('two label processes at once both get all their edits recorded', async function () {
    this.timeout(60_000);
    const root = await makeTempDir('xray-cli-');
    const ids = await makeClassFolders(root, { COVID: 5, NORMAL: 5 });
    const csvDir = await makeTempDir('xray-cli-csv-');
    const csvFor = (label: string): string => `path,label\n${Array.from({ length: 100 }, (_, i) => `${ids[i % ids.length]},${label}`).join('\n')}\n`;
    const [a, b] = await Promise.all([
      runCli(['label', root, '--from-csv', await writeFile(csvDir, 'a.csv', csvFor('COVID'))]),
      runCli(['label', root, '--from-csv', await writeFile(csvDir, 'b.csv', csvFor('NORMAL'))]),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const contents = await readJournal(root);
    assert.deepEqual(contents.warnings, []);
    assert.equal(contents.entries.length, 200);
    const printed = [...a.stdout.trimEnd().split('\n'), ...b.stdout.trimEnd().split('\n')].map((line) => line.split(' ')[1]);
    assert.deepEqual(new Set(printed), new Set(contents.entries.map((entry) => entry.id)));
  });
});
