import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildReport, latestReport, parseReport, writeReport } from '../../../src/ml/report';
import type { Report } from '../../../src/ml/report';
import { TWO_CLASSES, twoClassItems } from './reportFixtures';

function report(version: string, createdAt: string): Report {
  return buildReport({ classes: TWO_CLASSES, items: twoClassItems(), model: { version } }, { bootstrap: false, createdAt });
}

describe('report: writeReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'xray-report-')), 'reports');
  });
  afterEach(async () => {
    await fs.rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('writes JSON, Markdown and HTML named by model and time, and leaves no temporary file', async () => {
    const r = report('v3', '2026-11-26T10:48:41.123Z');
    const paths = await writeReport(dir, r);
    assert.deepEqual(paths, {
      json: path.join(dir, 'report-v3-20261126T104841Z.json'),
      md: path.join(dir, 'report-v3-20261126T104841Z.md'),
      html: path.join(dir, 'report-v3-20261126T104841Z.html'),
    });
    assert.deepEqual((await fs.readdir(dir)).sort(), ['report-v3-20261126T104841Z.html', 'report-v3-20261126T104841Z.json', 'report-v3-20261126T104841Z.md']);
    assert.deepEqual(parseReport(await fs.readFile(paths.json, 'utf8')), r);
    assert.match(await fs.readFile(paths.md, 'utf8'), /^# Model v3: balanced metrics/);
    assert.match(await fs.readFile(paths.html, 'utf8'), /^<!DOCTYPE html>/);
  });

  it('writes nothing when cancelled, and removes what it wrote when a later file fails', async () => {
    const r = report('v1', '2026-11-26T10:00:00Z');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(writeReport(dir, r, { signal: controller.signal }), { name: 'AbortError' });
    assert.deepEqual(await fs.readdir(dir).catch(() => []), []);

    // A folder where the HTML should go makes its rename fail after the JSON and Markdown were written.
    await fs.mkdir(path.join(dir, 'report-v1-20261126T100000Z.html', 'blocker'), { recursive: true });
    await assert.rejects(writeReport(dir, r));
    assert.deepEqual(await fs.readdir(dir), ['report-v1-20261126T100000Z.html'], 'only the blocking folder is left');
  });

  it('finds the newest report of a model version, and none for another version', async () => {
    await writeReport(dir, report('v1', '2026-11-26T09:00:00Z'));
    await writeReport(dir, report('v1', '2026-11-26T11:00:00Z'));
    await writeReport(dir, report('v1-b', '2026-11-26T12:00:00Z'));
    assert.equal((await latestReport(dir, 'v1'))?.createdAt, '2026-11-26T11:00:00Z');
    assert.equal((await latestReport(dir, 'v1-b'))?.createdAt, '2026-11-26T12:00:00Z');
    assert.equal(await latestReport(dir, 'v2'), null);
    assert.equal(await latestReport(path.join(dir, 'missing'), 'v1'), null);
  });

  it('refuses a report of another format version', () => {
    assert.throws(() => parseReport(JSON.stringify({ ...report('v1', '2026-11-26T09:00:00Z'), version: 2 }), 'r.json'), /r\.json is not a report of format version 1/);
    assert.throws(() => parseReport('null'), /not a report/);
  });
});
