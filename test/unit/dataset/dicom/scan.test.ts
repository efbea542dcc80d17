// The dataset scan of DICOM as a PACS exports it: patient/study/series folders, files with no extension (or a
// UID, or VinDr's .dicom), mixed transfer syntaxes, a DICOMDIR and a structured report among the images. The
// export is made here from the dicomCorpus files with dcmtk and GDCM, each patient with distinctive identifiers.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportCurated, LabelJournal, openDataset, stateDirOf } from '../../../../src/dataset';
import type { Dataset } from '../../../../src/dataset';
import { buildReport } from '../../../../src/ml/report/buildReport';
import { reportItemsOf } from '../../../../src/ml/report/datasetReport';
import { stratifiedGroupSplit } from '../../../../src/ml/splits';
import { corpus, HEIGHT, WIDTH } from '../../../support/dicomCorpus';
import type { Corpus } from '../../../support/dicomCorpus';
import { runCli } from '../../../support/runCli';

const PATIENTS = [1, 2, 3].map((n) => ({
  name: `Qwertyson^Zelda${n}`,
  id: `ZQPID${n}X7`,
  accession: `ZQACC${n}K9`,
  birthDate: `1931040${n}`,
  study: `1.2.826.0.1.3680043.8.498.7771${n}`,
  source: n < 3 ? ['Acme Imaging', 'St Example Hospital'] : ['Other Vendor', 'North Clinic'],
}));
const PHI = PATIENTS.flatMap((p) => [p.name, p.name.split('^')[0], p.id, p.accession, p.birthDate, p.study]);

const IMAGES = [
  'P0001/S0001/SE0001/IM000001',
  'P0001/S0001/SE0001/IM000002',
  'P0001/S0001/SE0002/IM000001',
  'P0002/S0001/SE0001/1.2.826.0.1.3680043.2.1125.7',
  'P0002/S0001/SE0001/IM000001',
  'P0002/S0001/SE0001/IM000002',
  'P0003/S0001/SE0001/IM000001.dicom',
  'P0003/S0001/SE0001/IM000002',
];
const LATERAL = 'P0001/S0001/SE0002/IM000001';
const REPORT = 'P0003/S0001/SE0001/SR000001';
const CT = 'P0003/S0002/SE0001/CT000001';

function tool(name: string, args: string[]): void {
  execFileSync(name, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function patientTags(n: number): string[] {
  const p = PATIENTS[n - 1];
  const tags = { '(0010,0010)': p.name, '(0010,0020)': p.id, '(0008,0050)': p.accession, '(0010,0030)': p.birthDate, '(0020,000D)': p.study, '(0008,0070)': p.source[0], '(0008,0080)': p.source[1] };
  return Object.entries(tags).flatMap(([tag, value]) => ['-i', `${tag}=${value}`]);
}

/** The export: three patients, seven transfer syntaxes, a lateral view, a report, a CT slice, a DICOMDIR and a README. */
function buildExport(c: Corpus, dir: string): void {
  const file = (id: string): string => {
    fs.mkdirSync(path.dirname(path.join(dir, id)), { recursive: true });
    return path.join(dir, id);
  };
  const base = (n: number): string => {
    const out = path.join(dir, `..`, `patient${n}.dcm`);
    fs.copyFileSync(c.files['mono2.dcm'], out);
    tool('dcmodify', ['-nb', ...patientTags(n), out]);
    return out;
  };
  const [p1, p2, p3] = [base(1), base(2), base(3)];
  fs.copyFileSync(p1, file('P0001/S0001/SE0001/IM000001'));
  tool('dcmcjpls', ['+el', p1, file('P0001/S0001/SE0001/IM000002')]);
  fs.copyFileSync(p1, file(LATERAL));
  tool('dcmodify', ['-nb', '-i', '(0018,5101)=LL', file(LATERAL)]);
  tool('gdcmconv', ['--j2k', p2, file('P0002/S0001/SE0001/IM000001')]);
  tool('dcmcjpeg', ['+el', p2, file('P0002/S0001/SE0001/IM000002')]);
  tool('dcmodify', ['-nb', '-i', '(0028,0301)=YES', file('P0002/S0001/SE0001/IM000002')]);
  tool('dcmconv', ['-F', '+ti', p2, file('P0002/S0001/SE0001/1.2.826.0.1.3680043.2.1125.7')]);
  tool('dcmcrle', [p3, file('P0003/S0001/SE0001/IM000001.dicom')]);
  tool('dcmconv', ['+tb', p3, file('P0003/S0001/SE0001/IM000002')]);
  fs.copyFileSync(c.files['report.dcm'], file(REPORT));
  tool('dcmodify', ['-nb', ...patientTags(3), file(REPORT)]);
  fs.copyFileSync(p3, file(CT));
  tool('dcmodify', ['-nb', '-i', '(0008,0060)=CT', file(CT)]);
  fs.copyFileSync(c.files['DICOMDIR'], file('DICOMDIR'));
  fs.writeFileSync(file('README'), 'Export of 2024-03-15 from the archive, three patients.\n');
}

/** A copy of the export (hard links), without its state folder and, when asked, without the DICOMDIR. */
function copyOf(source: string, target: string, { dicomdir = true } = {}): string {
  fs.cpSync(source, target, { recursive: true, filter: (from) => !from.includes('.xray-curator') && (dicomdir || path.basename(from) !== 'DICOMDIR') });
  return target;
}

const pseudonym = (root: string, value: string): string => {
  const salt = Buffer.from(fs.readFileSync(path.join(stateDirOf(root), 'dicom-salt'), 'utf8').trim(), 'hex');
  return `dcm:${createHmac('sha256', salt).update(value).digest('hex').slice(0, 16)}`;
};
const byId = (dataset: Dataset, id: string) => dataset.items.find((item) => item.id === id)!;
const patientOf = (id: string): number => Number(id.slice(1, 5));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

describe('DICOM in the dataset scan: a PACS export with no manifest', () => {
  let tmp: string;
  let root: string;
  let dataset: Dataset;
  before(async function () {
    this.timeout(120_000);
    const c = await corpus();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-dicom-scan-'));
    root = path.join(tmp, 'export');
    buildExport(c, root);
    dataset = await openDataset(root);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('takes extension-less, UID-named and .dicom files in every syntax; reports the DICOMDIR and the SR', () => {
    assert.deepEqual(dataset.items.map((item) => item.id), IMAGES);
    for (const item of dataset.items) {
      assert.equal(item.error, undefined, item.id);
      assert.deepEqual([item.format, item.width, item.height], ['dicom', WIDTH, HEIGHT], item.id);
      assert.match(item.hash!, /^[0-9a-f]{64}$/);
    }
    assert.deepEqual(dataset.problems, [
      { where: 'DICOMDIR', reason: 'DICOMDIR (media directory) skipped: not an image; the images it lists are scanned as files' },
      { where: REPORT, reason: 'not an image (structured report (SR)): skipped' },
      { where: CT, reason: 'modality CT, not a radiograph: skipped' },
    ]);
  });

  it('takes the patient folders for patients, not classes: every image comes in unlabelled', () => {
    assert.deepEqual(dataset.classes, []);
    assert.deepEqual(dataset.items.map((item) => [item.sourceLabel, item.label]), IMAGES.map(() => [null, null]));
    assert.ok(dataset.warnings.some((warning) => /one patient each/.test(warning)), dataset.warnings.join('\n'));
  });

  it('fills the metadata from the DICOM tags, patient and study as salted pseudonyms', () => {
    const p = PATIENTS[0];
    assert.deepEqual(byId(dataset, IMAGES[0]).metadata, {
      patient_id: pseudonym(root, p.id),
      study: pseudonym(root, p.study),
      view: 'PA',
      source: 'Acme Imaging / St Example Hospital',
      sex: 'F',
      age: '92',
      modality: 'DX',
      body_part: 'CHEST',
    });
    assert.equal(byId(dataset, LATERAL).metadata.view, 'LL');
    assert.equal(byId(dataset, 'P0002/S0001/SE0001/IM000002').metadata.burned_in_annotation, 'YES');
    assert.equal(byId(dataset, 'P0002/S0001/SE0001/IM000001').metadata.burned_in_annotation, undefined);
    assert.equal(byId(dataset, IMAGES[6]).metadata.source, 'Other Vendor / North Clinic');
    // One pseudonym per patient, whatever the file's syntax; different patients, different pseudonyms.
    for (const item of dataset.items) {
      assert.match(item.metadata.patient_id, /^dcm:[0-9a-f]{16}$/);
      assert.equal(item.metadata.patient_id, pseudonym(root, PATIENTS[patientOf(item.id) - 1].id), item.id);
    }
    assert.equal(new Set(dataset.items.map((item) => item.metadata.patient_id)).size, 3);
  });

  it('keeps the salt: reopening gives the same pseudonyms; another dataset has another salt', async () => {
    const saltFile = path.join(stateDirOf(root), 'dicom-salt');
    const salt = fs.readFileSync(saltFile, 'utf8');
    assert.match(salt, /^[0-9a-f]{64}\n$/);
    const again = await openDataset(root);
    assert.equal(fs.readFileSync(saltFile, 'utf8'), salt);
    assert.deepEqual(again.items.map((item) => item.metadata), dataset.items.map((item) => item.metadata));

    const other = await openDataset(copyOf(root, path.join(tmp, 'other'), { dicomdir: false }));
    assert.notEqual(fs.readFileSync(path.join(stateDirOf(other.root), 'dicom-salt'), 'utf8'), salt);
    assert.deepEqual(other.items.map((item) => item.id), IMAGES);
    for (const [i, item] of other.items.entries()) {
      assert.notEqual(item.metadata.patient_id, dataset.items[i].metadata.patient_id);
      assert.equal(item.metadata.patient_id, pseudonym(other.root, PATIENTS[patientOf(item.id) - 1].id));
    }
    // Without a DICOMDIR, one patient per top-level folder still tells an export from class folders.
    assert.deepEqual(other.classes, []);
  });

  it('caches the tags with the file facts; re-reads old-format caches and pseudonyms of a lost salt', async () => {
    const copy = copyOf(root, path.join(tmp, 'cached'));
    const first = await openDataset(copy);
    const cacheFile = path.join(stateDirOf(copy), 'file-cache.json');
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    assert.equal(cache.version, 2);
    // A warm open takes the tags from the cache (size and mtime unchanged): an edited cached value shows.
    cache.files[IMAGES[0]].dicom.metadata.source = 'from the cache';
    fs.writeFileSync(cacheFile, JSON.stringify(cache));
    assert.equal(byId(await openDataset(copy), IMAGES[0]).metadata.source, 'from the cache');
    // A version-1 cache has no tags: its entries are read again, not taken for files without tags.
    const old = { version: 1, files: Object.fromEntries(Object.entries(cache.files as Record<string, { dicom?: unknown }>).map(([id, facts]) => [id, { ...facts, dicom: undefined }])) };
    fs.writeFileSync(cacheFile, JSON.stringify(old));
    assert.deepEqual((await openDataset(copy)).items.map((item) => item.metadata), first.items.map((item) => item.metadata));
    // A deleted salt: a new one, and every pseudonym made again with it (none left from the old one).
    fs.rmSync(path.join(stateDirOf(copy), 'dicom-salt'));
    const resalted = await openDataset(copy);
    for (const item of resalted.items) assert.equal(item.metadata.patient_id, pseudonym(copy, PATIENTS[patientOf(item.id) - 1].id), item.id);
    assert.notEqual(resalted.items[0].metadata.patient_id, first.items[0].metadata.patient_id);
  });

  it('a manifest row wins over the tags, and a "view" column counts for the frontal filter', async () => {
    const copy = copyOf(root, path.join(tmp, 'manifest'));
    fs.writeFileSync(path.join(copy, 'manifest.csv'), `path,label,patient_id,view\n${IMAGES[0]},NORMAL,case-7,Lateral\n`);
    const withManifest = await openDataset(copy);
    assert.deepEqual(byId(withManifest, IMAGES[0]).metadata, { patient_id: 'case-7', view: 'Lateral' });
    assert.equal(byId(withManifest, IMAGES[0]).label, 'NORMAL');
    assert.deepEqual(withManifest.classes, ['NORMAL']);
    assert.equal(byId(withManifest, IMAGES[1]).metadata.patient_id, pseudonym(copy, PATIENTS[0].id));
    const frontal = await openDataset(copy, { views: 'frontal' });
    assert.deepEqual(frontal.items.map((item) => item.id), IMAGES.filter((id) => id !== IMAGES[0] && id !== LATERAL));
  });

  it('frontal only: skips lateral views with a problem line, in the API and with scan --frontal-only', async () => {
    const frontal = await openDataset(root, { views: 'frontal' });
    assert.deepEqual(frontal.items.map((item) => item.id), IMAGES.filter((id) => id !== LATERAL));
    assert.deepEqual(frontal.problems.filter((problem) => problem.reason === 'lateral view skipped'), [{ where: LATERAL, reason: 'lateral view skipped' }]);
    const out = path.join(tmp, 'frontal.json');
    const run = await runCli(['scan', root, '--frontal-only', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(report.items.map((item: { id: string }) => item.id), IMAGES.filter((id) => id !== LATERAL));
    assert.ok(report.errors.some((error: { where: string; reason: string }) => error.where === LATERAL && error.reason === 'lateral view skipped'));
  });

  it('groups splits by patient and reports per source on the raw export', async () => {
    const copy = copyOf(root, path.join(tmp, 'labelled'));
    const journal = await LabelJournal.open(copy, { user: 'tester' });
    const opened = await openDataset(copy);
    for (const [i, item] of opened.items.entries()) await journal.relabel(item, i % 2 === 0 ? 'NORMAL' : 'PNEUMONIA');
    const labelled = await openDataset(copy);
    const classes = ['NORMAL', 'PNEUMONIA'];
    const groups = labelled.items.map((item) => item.metadata.patient_id);
    const split = stratifiedGroupSplit(labelled.items.map((item) => classes.indexOf(item.label!)), groups, { train: 0.5, validation: 0.5 }, 7);
    const sideOf = new Map<string, string>();
    for (const [side, indices] of Object.entries(split)) {
      for (const index of indices as number[]) {
        assert.equal(sideOf.get(groups[index]) ?? side, side, `patient of ${labelled.items[index].id} on two sides`);
        sideOf.set(groups[index], side);
      }
    }
    assert.equal(sideOf.size, 3);
    assert.ok(split.train.length > 0 && split.validation.length > 0);

    const probs = new Map(labelled.items.map((item, i) => [item.id, i % 3 === 0 ? [0.3, 0.7] : [0.8, 0.2]]));
    const { items } = reportItemsOf(labelled, classes, probs);
    const report = buildReport({ classes, items, model: { version: 'v1' } }, { minSourceItems: 100, bootstrap: { iterations: 20 } });
    assert.deepEqual(report.sources!.map((source) => [source.source, source.n]), [['Acme Imaging / St Example Hospital', 6], ['Other Vendor / North Clinic', 2]]);
  });

  it('writes no patient name, birth date, accession number, raw patient ID or study UID anywhere', async function () {
    this.timeout(60_000);
    const copy = copyOf(root, path.join(tmp, 'phi'));
    // The identifiers are in the images, so the search below can find them if the tool copies them out.
    const image = fs.readFileSync(path.join(copy, IMAGES[0]), 'latin1');
    for (const needle of [PATIENTS[0].name, PATIENTS[0].id, PATIENTS[0].accession, PATIENTS[0].birthDate, PATIENTS[0].study]) assert.ok(image.includes(needle), needle);

    const scanJson = path.join(tmp, 'phi-scan.json');
    const run = await runCli(['scan', copy, '--verify', '--out', scanJson]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(fs.readFileSync(scanJson, 'utf8'));
    assert.equal(report.items.length, IMAGES.length);
    assert.deepEqual(report.items.filter((item: { error?: string }) => item.error), [], 'every image decodes (--verify)');
    const journal = await LabelJournal.open(copy, { user: 'tester' });
    for (const item of (await openDataset(copy)).items) await journal.relabel(item, 'NORMAL');
    await journal.note((await openDataset(copy)).items[0], 'checked');
    const exported = path.join(tmp, 'phi-export.csv');
    assert.equal((await exportCurated(await openDataset(copy), exported, { format: 'csv' })).exported, IMAGES.length);

    const written = [...filesUnder(stateDirOf(copy)), scanJson, exported];
    assert.ok(written.some((file) => file === journal.file) && written.some((file) => path.basename(file) === 'file-cache.json'), written.join('\n'));
    for (const file of written) {
      const content = fs.readFileSync(file, 'latin1');
      for (const needle of PHI) assert.ok(!content.includes(needle), `${needle} written into ${file}`);
    }
    assert.match(fs.readFileSync(exported, 'utf8'), /dcm:[0-9a-f]{16}/);
  });

  it('writes raw patient and study ids only when the dataset asks for them (scan --dicom-identifiers), never names or birth dates', async function () {
    this.timeout(60_000);
    const copy = copyOf(root, path.join(tmp, 'raw-ids'));
    const pseudonymised = await openDataset(copy);
    const scanJson = path.join(tmp, 'raw-scan.json');
    const run = await runCli(['scan', copy, '--dicom-identifiers', 'raw', '--out', scanJson]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(fs.readFileSync(path.join(stateDirOf(copy), 'dicom-identifiers.json'), 'utf8')).identifiers, 'raw');
    const report = JSON.parse(fs.readFileSync(scanJson, 'utf8')) as { items: { id: string; metadata: Record<string, string> }[] };
    for (const item of report.items) {
      const p = PATIENTS[patientOf(item.id) - 1];
      assert.deepEqual([item.metadata.patient_id, item.metadata.study], [p.id, p.study], item.id);
    }
    // The cached facts follow the policy, the other identifying tags stay out, and a warm open agrees.
    const raw = await openDataset(copy);
    assert.equal(byId(raw, IMAGES[0]).metadata.patient_id, PATIENTS[0].id);
    for (const file of [...filesUnder(stateDirOf(copy)), scanJson]) {
      const content = fs.readFileSync(file, 'latin1');
      for (const p of PATIENTS) for (const needle of [p.name, p.accession, p.birthDate]) assert.ok(!content.includes(needle), `${needle} written into ${file}`);
    }
    // Back to pseudonyms: the same ones as before (the salt was kept), and no raw id left in the file cache.
    assert.equal((await runCli(['scan', copy, '--dicom-identifiers', 'pseudonymised', '--out', scanJson])).code, 0);
    assert.equal(fs.existsSync(path.join(stateDirOf(copy), 'dicom-identifiers.json')), false);
    assert.deepEqual((await openDataset(copy)).items.map((item) => item.metadata), pseudonymised.items.map((item) => item.metadata));
    const cache = fs.readFileSync(path.join(stateDirOf(copy), 'file-cache.json'), 'latin1');
    for (const p of PATIENTS) assert.ok(!cache.includes(p.id) && !cache.includes(p.study), p.id);
    assert.equal((await runCli(['scan', copy, '--dicom-identifiers', 'plain', '--out', scanJson])).code, 2);
  });
});
