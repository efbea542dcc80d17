import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  outOfFold,
  seededRandom,
  shuffled,
  stratifiedGroupKFold,
  stratifiedGroupSplit,
  withoutOversizedGroups,
  type GroupId,
} from '../../../src/ml/splits';
import { CXR_DIR, requireShared } from '../../support/shared';

/** Labels and patient ids of the shared manifest (1,502 images, 3 classes, some without patient id). */
function manifestLabelsAndGroups(): { labels: number[]; groups: GroupId[] } {
  const text = fs.readFileSync(path.join(requireShared(CXR_DIR), 'manifest.csv'), 'utf8');
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const columns = header.split(',');
  const labelColumn = columns.indexOf('label');
  const patientColumn = columns.indexOf('patient_id');
  const classes = ['COVID', 'NORMAL', 'PNEUMONIA'];
  // The first columns (path, label, subtype, source, patient_id) never contain commas or quotes.
  const cells = rows.map((row) => row.split(','));
  return {
    labels: cells.map((c) => classes.indexOf(c[labelColumn])),
    groups: cells.map((c) => c[patientColumn]),
  };
}

function classCounts(labels: readonly number[], indices: readonly number[]): number[] {
  const counts = [0, 0, 0];
  for (const i of indices) counts[labels[i]]++;
  return counts;
}

/** Asserts no group (other than missing ones) has items in two of the index lists. */
function assertGroupsNotShared(groups: readonly GroupId[], sides: readonly (readonly number[])[]): void {
  const sideOfGroup = new Map<string, number>();
  sides.forEach((side, s) => {
    for (const i of side) {
      const g = groups[i];
      if (g === null || g === undefined || g === '') continue;
      assert.equal(sideOfGroup.get(g) ?? s, s, `group ${g} is on sides ${sideOfGroup.get(g)} and ${s}`);
      sideOfGroup.set(g, s);
    }
  });
}

function assertPartition(sides: readonly (readonly number[])[], n: number): void {
  const all = sides.flat().sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: n }, (_, i) => i));
}

describe('seeded random numbers', () => {
  it('reproduces the published mulberry32 sequence', () => {
    // Reference: bryc's JavaScript mulberry32 ported to Python (32-bit masks) for seeds 0 and 42.
    const zero = seededRandom(0);
    assert.deepEqual([zero(), zero(), zero()], [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    const fortyTwo = seededRandom(42);
    assert.deepEqual([fortyTwo(), fortyTwo(), fortyTwo()], [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('shuffles reproducibly without touching the input', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffled(items, seededRandom(3));
    assert.deepEqual(a, shuffled(items, seededRandom(3)));
    assert.notDeepEqual(a, items);
    assert.deepEqual([...a].sort((x, y) => x - y), items);
    assert.equal(items[0], 0);
  });

  it('rejects a non-integer seed', () => {
    assert.throws(() => seededRandom(1.5), /seed must be a safe integer, got 1.5/);
  });
});

describe('stratified group split', () => {
  it('keeps patients on one side and class ratios close on the shared manifest', () => {
    const { labels, groups } = manifestLabelsAndGroups();
    assert.ok(labels.every((l) => l >= 0));
    const split = stratifiedGroupSplit(labels, groups, { train: 0.7, validation: 0.15, test: 0.15 }, 11);
    assertPartition([split.train, split.validation, split.test], labels.length);
    assertGroupsNotShared(groups, [split.train, split.validation, split.test]);

    const whole = classCounts(labels, labels.map((_, i) => i)).map((c) => c / labels.length);
    for (const [name, side, fraction] of [
      ['train', split.train, 0.7],
      ['validation', split.validation, 0.15],
      ['test', split.test, 0.15],
    ] as const) {
      assert.ok(Math.abs(side.length / labels.length - fraction) < 0.03, `${name} holds ${side.length}`);
      classCounts(labels, side).forEach((count, c) => {
        assert.ok(Math.abs(count / side.length - whole[c]) < 0.03, `${name} class ${c}: ${count} of ${side.length}`);
      });
    }
    assert.deepEqual(stratifiedGroupSplit(labels, groups, { train: 0.7, validation: 0.15, test: 0.15 }, 11), split);
  });

  it('depends on the seed', () => {
    const labels = Array.from({ length: 60 }, (_, i) => i % 2);
    const groups = labels.map(() => null);
    const a = stratifiedGroupSplit(labels, groups, { train: 0.5, validation: 0.5 }, 1);
    const b = stratifiedGroupSplit(labels, groups, { train: 0.5, validation: 0.5 }, 2);
    assert.notDeepEqual(a, b);
    assert.deepEqual(a.test, []);
    assert.deepEqual(classCounts(labels, a.train), [15, 15, 0]);
  });

  it('rejects bad fractions and too few groups', () => {
    assert.throws(() => stratifiedGroupSplit([0, 1], [null, null], { train: 0.8, validation: 0.3 }, 0), /sum to 1/);
    assert.throws(() => stratifiedGroupSplit([0, 1], [null, null], { train: 1.2, validation: -0.2 }, 0), /train must be in \[0, 1\]/);
    assert.throws(() => stratifiedGroupSplit([0, 1], ['a', 'a'], { train: 0.5, validation: 0.5 }, 0), /side is empty/);
    assert.throws(() => stratifiedGroupSplit([0, -1], ['a', 'b'], { train: 0.5, validation: 0.5 }, 0), /label 1 must be a class index/);
    assert.throws(() => stratifiedGroupSplit([0, 1], ['a'], { train: 0.5, validation: 0.5 }, 0), /groups has 1 entries but labels has 2/);
  });
});

describe('stratified group k-fold', () => {
  it('partitions the shared manifest into folds that keep patients whole and classes balanced', () => {
    const { labels, groups } = manifestLabelsAndGroups();
    const folds = stratifiedGroupKFold(labels, groups, 5, 4);
    assert.equal(folds.length, 5);
    assertPartition(folds, labels.length);
    assertGroupsNotShared(groups, folds);
    // COVID (502) and PNEUMONIA (500) spread evenly. NORMAL cannot: the manifest gives 300 NORMAL images the one
    // patient id 'kermany:IM', so the fold holding it gets no other NORMAL image and the rest share 200 evenly.
    const big = folds.findIndex((fold) => fold.some((i) => groups[i] === 'kermany:IM'));
    folds.forEach((fold, f) => {
      const [covid, normal, pneumonia] = classCounts(labels, fold);
      assert.ok(Math.abs(covid - 502 / 5) <= 2, `fold ${f} COVID ${covid}`);
      assert.ok(Math.abs(pneumonia - 500 / 5) <= 2, `fold ${f} PNEUMONIA ${pneumonia}`);
      assert.ok(f === big ? normal === 300 : Math.abs(normal - 200 / 4) <= 2, `fold ${f} NORMAL ${normal}`);
    });
  });

  it('never splits a group and rejects more folds than groups', () => {
    const labels = [0, 0, 1, 1, 0, 1];
    const groups = ['a', 'a', 'b', 'b', 'c', 'c'];
    const folds = stratifiedGroupKFold(labels, groups, 3, 0);
    assert.deepEqual(folds.map((f) => f.map((i) => groups[i])).map((g) => new Set(g).size), [1, 1, 1]);
    assert.throws(() => stratifiedGroupKFold(labels, groups, 4, 0), /fold 3 is empty: fewer groups than k = 4/);
    assert.throws(() => stratifiedGroupKFold(labels, groups, 1, 0), /k must be an integer >= 2/);
  });
});

describe('out-of-fold predictions', () => {
  it('predicts each item with the model that did not train on it', async () => {
    const labels = Array.from({ length: 20 }, (_, i) => i % 2);
    const folds = stratifiedGroupKFold(labels, labels.map(() => null), 4, 9);
    const seenTrain: number[][] = [];
    // The "model" predicts [fold, item index] so the test can see who predicted what.
    const result = await outOfFold(folds, labels.length, async (train, test, fold) => {
      seenTrain.push([...train]);
      return test.map((i) => [fold, i]);
    });
    result.probabilities.forEach(([fold, item], i) => {
      assert.equal(item, i);
      assert.equal(fold, result.foldOf[i]);
      assert.ok(folds[fold].includes(i));
      assert.ok(!seenTrain[fold].includes(i), `item ${i} was in the training set of its fold`);
    });
    seenTrain.forEach((train, f) => assert.equal(train.length, labels.length - folds[f].length));
  });

  it('rejects folds that do not partition the items and wrong prediction shapes', async () => {
    const predict = async (_train: readonly number[], test: readonly number[]): Promise<number[][]> => test.map(() => [1]);
    await assert.rejects(outOfFold([[0, 1], [1, 2]], 3, predict), /index 1 is in folds 0 and 1/);
    await assert.rejects(outOfFold([[0], [1]], 3, predict), /index 2 is in no fold/);
    await assert.rejects(outOfFold([[0], [5]], 3, predict), /fold 1 holds index 5 outside 0..2/);
    await assert.rejects(outOfFold([[0, 1], [2]], 3, async () => [[1]]), /fold 0: expected 2 prediction rows, got 1/);
  });
});

describe('withoutOversizedGroups', () => {
  it('drops a group too large to be one patient and keeps real patients together', () => {
    // 300 items under one id (a file-name prefix, as in the shared manifest) among 100 two-image patients.
    const groups = [...Array.from({ length: 300 }, () => 'kermany:IM'), ...Array.from({ length: 200 }, (_, i) => `p${Math.floor(i / 2)}`)];
    const { groups: kept, dropped } = withoutOversizedGroups(groups, 5);
    assert.deepEqual([...dropped], [['kermany:IM', 300]]);
    assert.ok(kept.slice(0, 300).every((g) => g === null));
    assert.deepEqual(kept.slice(300), groups.slice(300));
  });

  it('keeps every group when none is implausible, including small data sets (limit at least 20)', () => {
    const groups = [...Array.from({ length: 20 }, () => 'a'), 'b', null];
    assert.equal(withoutOversizedGroups(groups, 5).dropped.size, 0);
  });
});
