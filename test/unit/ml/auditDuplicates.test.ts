import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { findDuplicates, findLeakage, suggestedGroups, type DuplicateCluster } from '../../../src/ml/audit/duplicates';
import { fingerprintsOf } from '../../../src/ml/audit/fingerprints';
import { principalComponents } from '../../../src/ml/audit/matrix';
import { searchNeighbours } from '../../../src/ml/audit/neighbours';
import { dHashFromGrey, HASH_SIDE, hammingDistance, readFingerprint } from '../../../src/ml/audit/perceptualHash';
import { seededRandom } from '../../../src/ml/splits';
import { CXR_DIR, requireShared } from '../../support/shared';

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('audit: perceptual hash', () => {
  it('sets a bit where a pixel is brighter than its right neighbour', () => {
    const side = 2;
    // Row 0: 9 > 5 (1), 5 > 7 (0); row 1: 1 > 2 (0), 2 > 0 (1) → bits 1001 → 0x90.
    assert.equal(dHashFromGrey([9, 5, 7, 1, 2, 0], side), '90');
    assert.throws(() => dHashFromGrey([1, 2, 3], side), /expected 6 grey values/);
  });

  it('counts differing bits', () => {
    assert.equal(hammingDistance('00000000', 'ffffffff'), 32);
    assert.equal(hammingDistance('f0000001', '00000003'), 5);
    assert.throws(() => hammingDistance('00', '0000'), /different lengths/);
  });
});

describe('audit: planted duplicates in real X-rays', function () {
  let dir: string;
  const originals: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-audit-dup-'));
    // Twelve films from all classes and sources (the shared folder is read-only: copies go to a temp folder).
    const cxr = requireShared(CXR_DIR);
    for (const cls of ['COVID', 'NORMAL', 'PNEUMONIA']) {
      const names = fs.readdirSync(path.join(cxr, cls)).sort();
      for (const k of [3, 97, 211, 389]) originals.push(path.join(cxr, cls, names[k]));
    }
    originals.forEach((file, i) => fs.copyFileSync(file, path.join(dir, `orig${i}${path.extname(file)}`)));
    // Planted: an exact copy of film 0, resized + re-encoded JPEG copies of films 1, 5 and 9.
    fs.copyFileSync(originals[0], path.join(dir, `exact0${path.extname(originals[0])}`));
    for (const [k, scale] of [[1, 0.5], [5, 0.7], [9, 0.9]]) {
      const meta = await sharp(originals[k]).metadata();
      await sharp(originals[k])
        .resize(Math.round(meta.width! * scale), Math.round(meta.height! * scale))
        .jpeg({ quality: 70 })
        .toFile(path.join(dir, `resized${k}.jpg`));
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds every planted copy and no cluster among distinct films', async () => {
    const files = fs.readdirSync(dir).sort().map((name) => path.join(dir, name));
    const fingerprints = await Promise.all(files.map((file) => readFingerprint(file)));
    const clusters = findDuplicates({ hashes: files.map(sha256), dhashes: fingerprints.map((f) => f.dhash) });
    const names = (c: DuplicateCluster): string[] => c.members.map((i) => path.basename(files[i], path.extname(files[i]))).sort();
    assert.deepEqual(
      clusters.map((c) => [c.kind, ...names(c)]),
      [
        ['exact', 'exact0', 'orig0'],
        ['near', 'orig1', 'resized1'],
        ['near', 'orig5', 'resized5'],
        ['near', 'orig9', 'resized9'],
      ],
    );
    for (const fingerprint of fingerprints) {
      assert.equal(fingerprint.dhash.length, (HASH_SIDE * HASH_SIDE) / 4);
      assert.ok([1, 2, 3, 4].includes(fingerprint.channels));
      assert.ok([8, 16].includes(fingerprint.bitDepth));
    }
  });

  it('caches fingerprints by content hash and reports unreadable images', async () => {
    const copy = path.join(dir, 'cached-copy.png');
    fs.copyFileSync(originals[2], copy);
    const broken = path.join(dir, 'broken.png');
    fs.writeFileSync(broken, 'not an image');
    const items = [
      { id: 'a', absPath: copy, hash: sha256(copy) },
      { id: 'b', absPath: broken, hash: sha256(broken) },
    ];
    const cacheFile = path.join(dir, 'state', 'fingerprints.json');
    const warnings: string[] = [];
    const first = await fingerprintsOf(items, cacheFile, warnings);
    assert.deepEqual(first[0], await readFingerprint(copy));
    assert.equal(first[1], null);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^b: no perceptual hash: /);
    // Gone from disk, still known by its hash.
    fs.rmSync(copy);
    assert.deepEqual(await fingerprintsOf(items.slice(0, 1), cacheFile, []), first.slice(0, 1));
    fs.rmSync(broken);
  });
});

describe('audit: near-duplicates by embedding, leakage and grouping', () => {
  // Six random 40-d vectors; item 6 is item 0 plus a little noise, item 7 a copy of item 3.
  const random = seededRandom(9);
  const d = 40;
  const base = Array.from({ length: 6 }, () => Array.from({ length: d }, () => random() - 0.5));
  const rows = [...base, base[0].map((v) => v + 0.01 * (random() - 0.5)), base[3].slice()];
  const features = { data: Float64Array.from(rows.flat()), rows: rows.length, cols: d };

  it('finds pairs above the cosine threshold without missing any the projection shrinks', () => {
    // Only 3 components: the projected test must still let both true pairs through to the full check.
    const search = searchNeighbours(features, principalComponents(features, 3, 0), 2, 0.95);
    assert.deepEqual(
      search.pairs.map((p) => [p.a, p.b]),
      [
        [0, 6],
        [3, 7],
      ],
    );
    assert.ok(search.pairs.every((p) => p.cosine > 0.99));
    // Each item's nearest neighbour in the component space, itself excluded.
    assert.equal(search.neighbours[6 * search.k], 0);
    assert.equal(search.neighbours[7 * search.k], 3);
    const clusters = findDuplicates({ hashes: rows.map((_, i) => `h${i}`), similarPairs: search.pairs });
    assert.deepEqual(
      clusters.map((c) => [c.id, c.kind, c.members]),
      [
        ['dup-0', 'near', [0, 6]],
        ['dup-3', 'near', [3, 7]],
      ],
    );
  });

  it('reports clusters across splits, classes and patients, and groups them for splitting', () => {
    const clusters = findDuplicates({ hashes: ['a', 'b', 'a', 'c', 'd', 'c', 'e'] });
    const leakage = findLeakage(clusters, {
      labels: [0, 1, 1, 0, 0, 0, 1],
      classes: ['COVID', 'NORMAL'],
      patients: ['p1', 'p2', 'p3', 'p4', 'p4', 'p4', 'p2'],
      splits: ['train', 'train', 'test', 'train', 'test', 'train', 'validation'],
    });
    assert.deepEqual(leakage.acrossSplits.map((l) => [l.cluster, l.splits]), [['dup-0', ['test', 'train']]]);
    assert.deepEqual(leakage.acrossClasses.map((l) => [l.cluster, l.classes]), [['dup-0', ['COVID', 'NORMAL']]]);
    assert.deepEqual(leakage.acrossPatients.map((l) => [l.cluster, l.patients]), [['dup-0', ['p1', 'p3']]]);
    assert.deepEqual(
      leakage.patientsAcrossSplits.map((l) => [l.patient, l.splits, l.members]),
      [
        ['p2', ['train', 'validation'], [1, 6]],
        ['p4', ['test', 'train'], [3, 4, 5]],
      ],
    );
    const groups = suggestedGroups(clusters, ['p1', 'p2', 'p3', 'p4', 'p4', null, 'p2']);
    // 0 and 2 share a picture; 3, 4 share a patient and 5 is a copy of 3; 1 and 6 share a patient.
    assert.equal(groups[0], groups[2]);
    assert.equal(groups[3], groups[4]);
    assert.equal(groups[3], groups[5]);
    assert.equal(groups[1], groups[6]);
    assert.equal(new Set(groups).size, 3);
    // An ignored (implausibly large) patient id no longer joins its items.
    const ignoring = suggestedGroups([], ['x', 'x', 'y'], new Set(['x']));
    assert.equal(new Set(ignoring).size, 3);
  });
});
