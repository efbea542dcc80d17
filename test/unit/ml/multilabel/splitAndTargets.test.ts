import * as assert from 'node:assert/strict';
import { DEFAULT_UNCERTAINTY, resolveMultiLabelConfig } from '../../../../src/ml/multilabel/config';
import { iterativeGroupSplit } from '../../../../src/ml/multilabel/stratify';
import { evaluationTarget, hasLabels, labelCounts, labelMatrix, trainingTarget } from '../../../../src/ml/multilabel/targets';
import { lcg } from './synthetic';

describe('ml/multilabel targets and split', () => {
  it('applies CheXpert U-Ones to Atelectasis and Edema, U-Zeros elsewhere, and per-finding overrides', () => {
    const config = resolveMultiLabelConfig();
    assert.deepEqual(DEFAULT_UNCERTAINTY, { Atelectasis: 'positive', Edema: 'positive' });
    assert.equal(trainingTarget('uncertain', 'Atelectasis', config), 1);
    assert.equal(trainingTarget('uncertain', 'Edema', config), 1);
    assert.equal(trainingTarget('uncertain', 'Cardiomegaly', config), 0);
    assert.equal(trainingTarget('unmentioned', 'Cardiomegaly', config), 0);
    const custom = resolveMultiLabelConfig({ uncertainty: { Cardiomegaly: 'ignore' }, unmentioned: 'ignore' });
    assert.equal(trainingTarget('uncertain', 'Cardiomegaly', custom), null);
    assert.equal(trainingTarget('uncertain', 'Atelectasis', custom), 0, 'a given map replaces the defaults');
    assert.equal(trainingTarget('unmentioned', 'Edema', custom), null);
    assert.equal(evaluationTarget('uncertain', config), null, 'uncertain labels are never scored');
    assert.equal(evaluationTarget('unmentioned', custom), null);
    assert.equal(trainingTarget(undefined, 'Edema', config), null, "a finding the item's dataset lacks is no target");
    assert.equal(evaluationTarget(undefined, config), null);
    assert.deepEqual([hasLabels({ A: 'unmentioned', B: 'unmentioned' }), hasLabels({ A: 'unmentioned', B: 'uncertain' }), hasLabels(undefined)], [false, true, false]);
    assert.throws(() => resolveMultiLabelConfig({ uncertainty: { Edema: 'maybe' as 'ignore' } }), /uncertainty\.Edema/);

    const matrix = labelMatrix([{ Edema: 'uncertain', Mass: 'uncertain' }, { Edema: 'negative', Mass: 'positive' }], ['Edema', 'Mass'], resolveMultiLabelConfig({ uncertainDefault: 'ignore' }));
    assert.deepEqual(Array.from(matrix.targets), [1, 0, 0, 1]);
    assert.deepEqual(Array.from(matrix.mask), [1, 0, 1, 1]);
    assert.deepEqual(labelCounts(matrix), { positives: [1, 1], counted: [2, 1] });
  });

  it('fine-tunes no backbone block unless asked, at the class model\'s rate and epochs, and refuses settings that cannot work', () => {
    const { fineTuneBlocks, fineTuneLearningRate, fineTuneEpochs } = resolveMultiLabelConfig();
    assert.deepEqual([fineTuneBlocks, fineTuneLearningRate, fineTuneEpochs], [0, 1e-5, 5]);
    assert.equal(resolveMultiLabelConfig({ fineTuneBlocks: 2 }).fineTuneBlocks, 2);
    assert.throws(() => resolveMultiLabelConfig({ fineTuneBlocks: -1 }), /fineTuneBlocks must be a non-negative integer, got -1/);
    assert.throws(() => resolveMultiLabelConfig({ fineTuneEpochs: 0 }), /fineTuneEpochs must be a positive integer, got 0/);
  });

  it('refuses an uncertainty policy that is not ignore, positive or negative, naming the finding (the setting\'s error)', () => {
    assert.throws(() => resolveMultiLabelConfig({ uncertainty: { Edema: 'maybe' as never } }), /uncertainty\.Edema must be ignore, positive or negative, got maybe/);
    assert.throws(() => resolveMultiLabelConfig({ uncertainDefault: 'yes' as never }), /uncertainDefault must be ignore, positive or negative, got yes/);
  });

  it('keeps patients together and spreads every finding’s positives in proportion (iterative stratification)', () => {
    const random = lcg(7);
    const n = 2000;
    const prevalence = [0.3, 0.1, 0.03, 0.008];
    const patients = Array.from({ length: n }, (_, i) => `p${Math.floor(i / (1 + (i % 3)))}`);
    const positives = Array.from({ length: n }, () => prevalence.flatMap((p, f) => (random() < p ? [f] : [])));
    const split = iterativeGroupSplit(positives, patients, { train: 0.8, validation: 0.2 }, 11);
    assert.equal(split.train.length + split.validation.length, n);
    const side = new Map<string, string>();
    for (const [name, rows] of [['train', split.train], ['validation', split.validation]] as const) {
      for (const i of rows) {
        assert.notEqual(side.get(patients[i]) ?? name, name === 'train' ? 'validation' : 'train', `patient ${patients[i]} on both sides`);
        side.set(patients[i], name);
      }
    }
    assert.ok(Math.abs(split.validation.length - 0.2 * n) <= 0.02 * n, `validation size ${split.validation.length}`);
    prevalence.forEach((_, f) => {
      const total = positives.filter((p) => p.includes(f)).length;
      const val = split.validation.filter((i) => positives[i].includes(f)).length;
      assert.ok(Math.abs(val - 0.2 * total) <= Math.max(2, 0.05 * total), `finding ${f}: ${val} of ${total} positives in validation`);
    });
    assert.deepEqual(iterativeGroupSplit(positives, patients, { train: 0.8, validation: 0.2 }, 11), split, 'same seed, same split');
    assert.throws(() => iterativeGroupSplit([[0], [0]], ['a', 'a'], { train: 0.8, validation: 0.2 }, 1), /side is empty/);
  });
});
