import * as assert from 'node:assert/strict';
import { versionsToCompare } from '../../../src/host/versionPick';

describe('Compare Model Versions: the picked versions', () => {
  const v = (version: number): { version: number; label: string } => ({ version, label: `v${version}` });

  it('compares the newer of two picks against the older, whatever the pick order', () => {
    assert.deepEqual(versionsToCompare([v(2), v(5)]), { newer: v(5), older: v(2) });
    assert.deepEqual(versionsToCompare([v(5), v(2)]), { newer: v(5), older: v(2) });
  });

  it('tells the user to pick exactly two when none, one or three are picked', () => {
    assert.deepEqual(versionsToCompare([]), { message: 'X-Ray Curator: pick exactly two model versions to compare (none picked).' });
    assert.deepEqual(versionsToCompare([v(3)]), { message: 'X-Ray Curator: pick exactly two model versions to compare (1 picked).' });
    assert.deepEqual(versionsToCompare([v(1), v(2), v(3)]), { message: 'X-Ray Curator: pick exactly two model versions to compare (3 picked).' });
  });
});
