import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDirOf } from '../../../src/dataset';
import { JobCancelledError } from '../../../src/ml/jobs/jobContext';
import { runJob } from '../../../src/ml/jobs/runJob';
import { AUDIT_GROUPS } from '../../../src/ml/trainModel';
import { makeCxrSubset } from '../../support/cxrSubset';
import { BACKBONE_DIR, requireShared } from '../../support/shared';

describe('worker jobs: run off the caller thread, report progress, cancel cleanly', () => {
  let root: string;

  before(() => {
    root = makeCxrSubset(10);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses an unknown job with a clear error', async () => {
    await assert.rejects(runJob('format-disk', {}), /unknown job format-disk/);
  });

  it('a retrain cancelled while it embeds rejects with JobCancelledError and saves no model version', async () => {
    const controller = new AbortController();
    const messages: string[] = [];
    const job = runJob('retrain', { root, backbone: requireShared(BACKBONE_DIR), train: { augmentViews: 0 } }, {
      signal: controller.signal,
      onProgress: ({ message }) => {
        messages.push(message);
        if (message.startsWith('embedding')) controller.abort();
      },
    });
    await assert.rejects(job, JobCancelledError);
    assert.ok(messages.some((m) => m.startsWith('embedding')), messages.join(' | '));
    const models = path.join(stateDirOf(root), 'models');
    const versions = fs.existsSync(models) ? fs.readdirSync(models).filter((name) => /^v\d+$/.test(name)) : [];
    assert.deepEqual(versions, [], 'no version was saved');
  });

  it('a retrain left alone saves v1, its predictions and its report', async () => {
    const summary = await runJob<{ modelVersion: number; predicted: number; report: string }>('retrain', {
      root,
      backbone: requireShared(BACKBONE_DIR),
      train: { augmentViews: 0, epochs: 5 },
    });
    assert.equal(summary.modelVersion, 1);
    assert.equal(summary.predicted, 30);
    assert.ok(fs.existsSync(summary.report) && fs.existsSync(path.join(stateDirOf(root), 'predictions', 'v1.json')));
  });

  it('after an audit, a retrain splits by its suggested groups (patients joined with duplicates) and the report carries its findings', async () => {
    const audit = await runJob<{ json: string }>('audit', { root, backbone: requireShared(BACKBONE_DIR) });
    assert.ok(fs.existsSync(audit.json));
    const summary = await runJob<{ modelVersion: number; report: string }>('retrain', { root, backbone: requireShared(BACKBONE_DIR), train: { augmentViews: 0, epochs: 5 } });
    assert.equal(summary.modelVersion, 2);
    const info = JSON.parse(fs.readFileSync(path.join(stateDirOf(root), 'models', 'v2', 'version.json'), 'utf8')) as { trainedOn: { groupedBy: string } };
    assert.equal(info.trainedOn.groupedBy, AUDIT_GROUPS);
    assert.match(fs.readFileSync(summary.report, 'utf8'), /<h2>Data audit<\/h2>/);
  });
});
