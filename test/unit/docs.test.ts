// The README tells the truth by construction: its figures are the committed benchmark record's, each picture it shows
// is written by a UI test, and every command the extension contributes is driven by a test in the real VS Code host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { END, START, readRecord, renderReadmeFigures, withFigures } from '../../bench/lib/readmeFigures';
import { makeFigure } from '../../bench/lib/report';
import type { Results } from '../../bench/lib/report';
import { median } from '../../bench/lib/stats';

const PROJECT = path.resolve(__dirname, '..', '..', '..');
const readme = (): string => fs.readFileSync(path.join(PROJECT, 'README.md'), 'utf8');
/** The sources of the tests that run in the real VS Code host (integration and UI tiers). */
const hostTests = (): string =>
  ['integration', 'ui'].flatMap((tier) => {
    const dir = path.join(PROJECT, 'test', tier);
    return fs.readdirSync(dir).filter((name) => name.endsWith('.ts')).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
  }).join('\n');

describe('docs: the README and what backs it', () => {
  it('shows the figures of the committed benchmark record, as `npm run docs:figures` writes them', () => {
    const record = readRecord(path.join(PROJECT, 'docs', 'benchmarks.json'));
    const text = readme();
    assert.ok(text.includes(renderReadmeFigures(record)), 'README.md differs from docs/benchmarks.json: run `npm run docs:figures` (after `npm run bench`)');
  });

  it('renders a missed target as FAIL and a figure that was not measured as such', () => {
    const results: Results = {
      version: 1, date: '2026-12-01T00:00:00Z', quick: true, commit: 'abc', node: 'v20', wallSeconds: 1, benchmarks: [],
      machine: { cores: 2, cpu: 'test', memoryGB: 1, loadAverageAtStart: [1, 1, 1], platform: 'test' },
      figures: [makeFigure('gallery.scrollFps', 'gallery', [41.5], median), makeFigure('audit.1502.seconds', 'audit', [null], median)],
    };
    const section = renderReadmeFigures(results);
    assert.match(section, /gallery scrolling top to bottom \| 41\.5 fps \| >= 50 \| \*\*FAIL\*\*/);
    assert.match(section, /audit, 1,502 cached items \| not measured \| <= 10 \| not measured/);
    assert.equal(withFigures(`a\n${START}\nold\n${END}\nb`, results), `a\n${section}\nb`);
    assert.throws(() => withFigures('no markers', results), /no figures section/);
  });

  it('shows only pictures that a UI test writes (`screenshot(..., { docs })`), from the data its caption names', () => {
    const pictures = [...readme().matchAll(/\]\((docs\/[\w.-]+\.png)\)/g)].map((m) => m[1]);
    assert.ok(pictures.length >= 2, 'the README shows the gallery and the report');
    const tests = hostTests();
    for (const picture of pictures) {
      assert.ok(fs.existsSync(path.join(PROJECT, picture)), `${picture} exists`);
      assert.match(tests, new RegExp(`docs: '${path.basename(picture).replace('.', '\\.')}'`), `${picture} is written by a UI test`);
    }
  });

  it('drives every contributed command in the real VS Code host', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string; title: string }[] } };
    const tests = hostTests();
    const untested = manifest.contributes.commands.filter((c) => !tests.includes(`'${c.command}'`) && !tests.includes(`'X-Ray Curator: ${c.title}'`));
    assert.deepEqual(untested.map((c) => c.command), []);
  });
});
