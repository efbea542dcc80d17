import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset, stateDirOf } from '../../../src/dataset';
import type { Dataset, DatasetItem } from '../../../src/dataset';
import { makeClassFolders, makeTempDir, pngBytes, pngDeclaring, removeTempDirs, writeFile } from './fixtures';

function item(dataset: Dataset, id: string): DatasetItem {
  const found = dataset.items.find((candidate) => candidate.id === id);
  assert.ok(found, `no item ${id} in ${dataset.items.map((i) => i.id).join(', ')}`);
  return found;
}

function problemAbout(dataset: Dataset, pattern: RegExp): string {
  const found = dataset.problems.find((problem) => pattern.test(`${problem.where} ${problem.reason}`));
  assert.ok(found, `no problem matching ${pattern} in ${JSON.stringify(dataset.problems)}`);
  return found.reason;
}

describe('openDataset', () => {
  after(removeTempDirs);

  it('reads class folders, unlabelled images at the root and in unlabeled/', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 2, NORMAL: 3 });
    await writeFile(root, 'loose.png', await pngBytes(40));
    await writeFile(root, 'unlabeled/u1.png', await pngBytes(41));
    await writeFile(root, 'NORMAL/notes.txt', 'not an image, ignored');
    const dataset = await openDataset(root);
    assert.deepEqual(dataset.classes, ['COVID', 'NORMAL']);
    assert.deepEqual(dataset.items.map((i) => i.id), ['COVID/img0.png', 'COVID/img1.png', 'NORMAL/img0.png', 'NORMAL/img1.png', 'NORMAL/img2.png', 'loose.png', 'unlabeled/u1.png']);
    assert.equal(item(dataset, 'COVID/img1.png').label, 'COVID');
    assert.equal(item(dataset, 'loose.png').label, null);
    assert.equal(item(dataset, 'unlabeled/u1.png').label, null);
    for (const i of dataset.items) {
      assert.match(i.hash ?? '', /^[0-9a-f]{64}$/);
      assert.equal(i.error, undefined);
      assert.equal(i.absPath, path.join(root, ...i.id.split('/')));
    }
    assert.equal(new Set(dataset.items.map((i) => i.hash)).size, dataset.items.length);
    assert.deepEqual(dataset.problems, []);
  });

  it('attaches manifest labels and metadata (BOM, CRLF, quoted fields with commas and quotes)', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 1, NORMAL: 1 });
    await writeFile(root, 'flat/a.png', await pngBytes(50));
    const csv = '\uFEFFpath,label,patient_id,source,view,split\r\n' +
      'COVID/img0.png,COVID,p1,"ieee, 8023","PA ""erect""",train\r\n' +
      'flat/a.png,NORMAL,p2,nih14,AP,test\r\n';
    await writeFile(root, 'manifest.csv', csv);
    const dataset = await openDataset(root);
    assert.deepEqual(item(dataset, 'COVID/img0.png').metadata, { patient_id: 'p1', source: 'ieee, 8023', view: 'PA "erect"', split: 'train' });
    assert.equal(item(dataset, 'flat/a.png').label, 'NORMAL', 'the manifest labels a file outside the class folders');
    assert.deepEqual(item(dataset, 'NORMAL/img0.png').metadata, {}, 'a file missing from the manifest keeps its folder label');
    assert.equal(item(dataset, 'NORMAL/img0.png').label, 'NORMAL');
    assert.equal(dataset.manifestPath, path.join(root, 'manifest.csv'));
  });

  it('keeps the good rows of a manifest with traversal, absolute, duplicate, short, unknown-label and missing rows', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 2, NORMAL: 1 });
    const csv = [
      'path,label,source',
      'COVID/img0.png,COVID,good',
      '../../etc/passwd,COVID,evil',
      '/etc/passwd,COVID,evil',
      'COVID/img0.png,NORMAL,dup',
      'COVID/img1.png,PNEUMONIA,unknown',
      'NORMAL/img0.png,NORMAL',
      'NORMAL/gone.png,NORMAL,missing',
      '.xray-curator/journal.jsonl,NORMAL,state',
      'NORMAL/img0.png,../x,badlabel',
    ].join('\n');
    await writeFile(root, 'manifest.csv', csv);
    const dataset = await openDataset(root);
    assert.deepEqual(item(dataset, 'COVID/img0.png').metadata, { source: 'good' });
    assert.match(problemAbout(dataset, /manifest\.csv:3 /), /leaves the dataset folder/);
    assert.match(problemAbout(dataset, /manifest\.csv:4 /), /absolute path/);
    assert.match(problemAbout(dataset, /manifest\.csv:5 /), /duplicate row for COVID\/img0\.png \(first at line 2/);
    assert.match(item(dataset, 'COVID/img1.png').error ?? '', /unknown label "PNEUMONIA"/);
    assert.match(problemAbout(dataset, /manifest\.csv:7 /), /2 fields, the header has 3/);
    assert.match(problemAbout(dataset, /manifest\.csv:8 /), /no image file at NORMAL\/gone\.png/);
    assert.match(problemAbout(dataset, /manifest\.csv:9 /), /inside \.xray-curator/);
    assert.match(problemAbout(dataset, /manifest\.csv:10 /), /not usable as a folder name/);
    assert.equal(item(dataset, 'NORMAL/img0.png').error, undefined);
    assert.equal(dataset.items.length, 3);
  });

  it('reports an unparseable manifest and still opens the folders', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 1 });
    await writeFile(root, 'manifest.csv', 'path,label\n"COVID/img0.png,COVID\n');
    const dataset = await openDataset(root);
    assert.match(problemAbout(dataset, /manifest\.csv/), /manifest not read/);
    assert.equal(item(dataset, 'COVID/img0.png').label, 'COVID');
  });

  it('selects a subset with an image list and reports bad lines', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 3, NORMAL: 3 });
    const list = await writeFile(root, 'paper-A.txt', '# subset\r\nCOVID/img0.png\r\nNORMAL/img2.png\r\n\r\nNORMAL/img2.png\r\n../outside.png\r\nCOVID/none.png\r\n');
    const dataset = await openDataset(root, { files: list });
    assert.deepEqual(dataset.items.map((i) => i.id), ['COVID/img0.png', 'NORMAL/img2.png']);
    assert.match(problemAbout(dataset, /paper-A\.txt:5/), /listed twice/);
    assert.match(problemAbout(dataset, /paper-A\.txt:6/), /leaves the dataset folder/);
    assert.match(problemAbout(dataset, /COVID\/none\.png/), /listed image not found/);
    assert.equal(dataset.listPath, list);
  });

  it('gives each bad file its reason and keeps the rest usable', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 2 });
    const good = await pngBytes(60, 64, 64);
    await writeFile(root, 'COVID/empty.png', Buffer.alloc(0));
    await writeFile(root, 'COVID/truncated.png', good.subarray(0, good.length - 30));
    await writeFile(root, 'COVID/text.png', 'I am a text file\n');
    await writeFile(root, 'COVID/bomb.png', await pngDeclaring(30_000, 30_000));
    await fs.symlink('loop-b.png', path.join(root, 'COVID', 'loop-a.png'));
    await fs.symlink('loop-a.png', path.join(root, 'COVID', 'loop-b.png'));
    await fs.symlink('..', path.join(root, 'COVID', 'parent-loop'));
    await fs.symlink('missing.png', path.join(root, 'COVID', 'dangling.png'));
    const longName = `${'x'.repeat(250)}.png`;
    await writeFile(root, `COVID/${longName}`, await pngBytes(61));
    const badUtf8 = Buffer.concat([Buffer.from(path.join(root, 'COVID') + path.sep), Buffer.from([0x62, 0xff, 0xfe, 0x2e, 0x70, 0x6e, 0x67])]);
    await fs.writeFile(badUtf8, good);

    const dataset = await openDataset(root);
    const reasons: Record<string, RegExp> = {
      'COVID/empty.png': /empty file \(0 bytes\)/,
      'COVID/truncated.png': /truncated PNG/,
      'COVID/text.png': /not an image \(the content is text\)/,
      'COVID/bomb.png': /too large: 30000 × 30000/,
      'COVID/loop-a.png': /symbolic link loop/,
      'COVID/loop-b.png': /symbolic link loop/,
      'COVID/dangling.png': /broken symbolic link/,
    };
    for (const [id, reason] of Object.entries(reasons)) assert.match(item(dataset, id).error ?? '(none)', reason, id);
    assert.match(dataset.items.find((i) => i.id.startsWith('COVID/b\uFFFD'))?.error ?? '(none)', /not valid UTF-8/);
    assert.match(problemAbout(dataset, /parent-loop/), /symbolic link to a folder: not followed/);
    assert.equal(item(dataset, `COVID/${longName}`).error, undefined);
    assert.equal(item(dataset, 'COVID/img0.png').error, undefined);
    assert.equal(item(dataset, 'COVID/img1.png').label, 'COVID');
  });

  it('reuses cached hashes until a file changes (size or mtime)', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 2 });
    const first = await openDataset(root);
    const cacheFile = path.join(root, '.xray-curator', 'file-cache.json');
    const cache = JSON.parse(await fs.readFile(cacheFile, 'utf8')) as { version: number; files: Record<string, { hash: string }> };
    assert.equal(cache.version, 2);
    // A planted hash is served while size and mtime match: proof that the file was not read again.
    cache.files['COVID/img0.png'].hash = 'f'.repeat(64);
    await fs.writeFile(cacheFile, JSON.stringify(cache));
    assert.equal(item(await openDataset(root), 'COVID/img0.png').hash, 'f'.repeat(64));
    await fs.writeFile(path.join(root, 'COVID', 'img0.png'), await pngBytes(99));
    const changed = item(await openDataset(root), 'COVID/img0.png').hash;
    assert.notEqual(changed, 'f'.repeat(64));
    assert.notEqual(changed, item(first, 'COVID/img0.png').hash);
  });

  it('does not write into a read-only dataset folder: its hash cache goes to the stand-in folder', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 1 });
    const cache = await makeTempDir('xray-cache-');
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    await fs.chmod(root, 0o555);
    try {
      const dataset = await openDataset(root);
      assert.equal(dataset.items.length, 1);
      assert.deepEqual(dataset.warnings, []);
      await assert.rejects(fs.access(path.join(root, '.xray-curator')));
      await fs.access(path.join(stateDirOf(root), 'file-cache.json'));
    } finally {
      await fs.chmod(root, 0o755);
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });


  it('opens with a warning when the label journal cannot be read', async () => {
    const root = await makeTempDir();
    await makeClassFolders(root, { COVID: 1 });
    await fs.mkdir(path.join(root, '.xray-curator', 'journal.jsonl'), { recursive: true });
    const dataset = await openDataset(root);
    assert.match(dataset.warnings.join('\n'), /label journal not read \(EISDIR\)/);
    assert.equal(item(dataset, 'COVID/img0.png').label, 'COVID');
  });

  it('throws a clear error for a missing dataset folder', async () => {
    await assert.rejects(openDataset('/nonexistent/dataset'), /dataset folder not found/);
  });
});
