// `npm run docs:figures`: writes the README's "Measured" section from the committed benchmark record
// (docs/benchmarks.json, written by `npm run bench`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRecord, withFigures } from './lib/readmeFigures';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const readme = path.join(PROJECT_ROOT, 'README.md');
const updated = withFigures(fs.readFileSync(readme, 'utf8'), readRecord(path.join(PROJECT_ROOT, 'docs', 'benchmarks.json')));
fs.writeFileSync(readme, updated);
process.stdout.write('README.md: figures section written from docs/benchmarks.json\n');
