import * as assert from 'node:assert/strict';
import { UsageError } from '../../../src/cli/command';
import { intOption } from '../../../src/cli/mlCommon';
import { trainCommand } from '../../../src/cli/train';

const usage = (pattern: RegExp) => (error: Error): boolean => error instanceof UsageError && pattern.test(error.message);

describe('integer options', () => {
  it('takes positive integers and leaves an absent option undefined', () => {
    assert.equal(intOption('epochs', '12'), 12);
    assert.equal(intOption('epochs', undefined), undefined);
  });

  it('refuses zero, negatives, fractions, empty and non-numbers by default', () => {
    for (const bad of ['0', '-3', '-0']) assert.throws(() => intOption('epochs', bad), usage(/--epochs must be a positive integer, got /), bad);
    for (const bad of ['1.5', '', ' ', 'one']) assert.throws(() => intOption('epochs', bad), usage(/--epochs must be an integer, got /), JSON.stringify(bad));
  });

  it('takes zero where the option allows it, and nothing below', () => {
    assert.equal(intOption('augment-views', '0', 0), 0);
    assert.throws(() => intOption('augment-views', '-1', 0), usage(/--augment-views must be an integer of at least 0, got -1/));
  });

  it('stops train --epochs 0 or --epochs=-3 as a usage error before any work', async () => {
    for (const epochs of [['--epochs', '0'], ['--epochs=-3']]) {
      await assert.rejects(trainCommand.run(['no/such/dataset', ...epochs]), usage(/--epochs must be a positive integer/), epochs.join(' '));
    }
  });
});
