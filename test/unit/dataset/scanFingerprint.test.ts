import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { folderFingerprint, labelSources, openDataset } from '../../../src/dataset';
import { makeCxrSubset } from '../../support/cxrSubset';

describe('scan fingerprint: what a scan depended on', () => {
  let root: string;
  beforeEach(() => {
    root = makeCxrSubset(2);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("is the folder's as long as no image or label source changes, and changes with each", async () => {
    const scanned = await openDataset(root, { fingerprint: true });
    assert.match(scanned.fingerprint ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(labelSources(scanned), [path.join(root, 'manifest.csv')]);
    const now = (): Promise<string> => folderFingerprint(root, labelSources(scanned));
    assert.equal(await now(), scanned.fingerprint, 'nothing changed');
    fs.writeFileSync(path.join(root, 'COVID', 'notes.txt'), 'not an image, not a label source');
    assert.equal(await now(), scanned.fingerprint, 'a text file in a class folder is not part of the scan');

    const seen = new Set([scanned.fingerprint]);
    const expectNew = async (what: string): Promise<void> => {
      const fingerprint = await now();
      assert.ok(!seen.has(fingerprint), what);
      seen.add(fingerprint);
    };
    const [first, second] = scanned.items;
    // The subset's images are hard links into ../shared: touch a copy put in the link's place, never the shared file.
    fs.copyFileSync(first.absPath, `${first.absPath}.tmp`);
    fs.renameSync(`${first.absPath}.tmp`, first.absPath);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(first.absPath, later, later);
    await expectNew('a file touched');
    fs.copyFileSync(first.absPath, path.join(root, 'NORMAL', 'copy.png'));
    await expectNew('a file added');
    fs.rmSync(second.absPath);
    await expectNew('a file removed');
    fs.appendFileSync(path.join(root, 'manifest.csv'), '\n');
    await expectNew('the manifest edited');
    fs.writeFileSync(path.join(root, 'Data_Entry_2017.csv'), 'Image Index,Finding Labels\n');
    await expectNew('a label file added at the root');
  });

  it('is not made for an image list (a subset is not what a reopen shows)', async () => {
    const list = path.join(root, 'list.txt');
    fs.writeFileSync(list, `${fs.readdirSync(path.join(root, 'COVID')).map((name) => `COVID/${name}`)[0]}\n`);
    assert.equal((await openDataset(root, { fingerprint: true, files: list })).fingerprint, undefined);
  });
});
