import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { listDicomTags, readDicomTags } from '../../../../src/dataset/dicom';
import type { DicomTagEntry } from '../../../../src/dataset/dicom';
import { corpus } from '../../../support/dicomCorpus';
import type { Corpus } from '../../../support/dicomCorpus';

/** A value as dcmtk's dcmdump prints it: the independent reading of the same file. */
function dcmdumpValue(file: string, keyword: string): string {
  return execFileSync('dcmdump', ['+P', keyword, file], { encoding: 'utf8' }).match(/\[(.*)\]/)?.[1] ?? '';
}

describe('DICOM tags: manifest fields and the PHI-marked tag list', () => {
  let c: Corpus;
  const tags = (name: string): ReturnType<typeof readDicomTags> => readDicomTags(fs.readFileSync(c.files[name]));
  before(async function () {
    this.timeout(120_000);
    c = await corpus();
  });

  it('reads the manifest fields from the header, the same in every encoding', () => {
    const expected = {
      patientId: 'PAT-0042',
      study: dcmdumpValue(c.files['mono2.dcm'], 'StudyInstanceUID'),
      view: 'PA', // from the series description "Chest PA erect": the file has no ViewPosition
      viewGroup: 'frontal',
      source: 'Acme Imaging / St Example Hospital',
      sex: 'F',
      age: 54, // study date 2024-03-15 minus birth date 1970-01-01: the file has no PatientAge
      modality: 'DX',
      bodyPart: 'CHEST',
      burnedInAnnotation: false,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      notAnImage: null,
    };
    assert.match(expected.study, /^[\d.]{20,64}$/);
    for (const [name, uid] of [['mono2.dcm', '1.2.840.10008.1.2.1'], ['implicit.dcm', '1.2.840.10008.1.2'], ['big-endian.dcm', '1.2.840.10008.1.2.2'], ['deflated.dcm', '1.2.840.10008.1.2.1.99'], ['htj2k.dcm', '1.2.840.10008.1.2.4.201'], ['bare-implicit.dcm', '1.2.840.10008.1.2']]) {
      assert.deepEqual(tags(name), { ...expected, transferSyntaxUid: uid }, name);
    }
  });

  it('prefers ViewPosition, reads PatientAge in months, and falls back to the station name for the source', () => {
    const lateral = tags('lateral.dcm');
    assert.deepEqual([lateral.view, lateral.viewGroup, lateral.age, lateral.source], ['LL', 'lateral', 0.5, 'XR-ROOM-2']);
  });

  it('reads text in the declared character set (UTF-8 here)', () => {
    assert.equal(tags('utf8.dcm').source, 'Röntgenwerk');
    assert.equal(listDicomTags(fs.readFileSync(c.files['utf8.dcm'])).find((row) => row.keyword === 'PatientName')?.value, 'Müller^Zoë');
  });

  it('never needs the pixel data: a file cut inside it still gives its tags', () => {
    const whole = fs.readFileSync(c.files['mono2-jpegls.dcm']);
    assert.equal(readDicomTags(whole.subarray(0, whole.length >> 1)).patientId, 'PAT-0042');
  });

  it('marks non-image objects with the reason to skip them', () => {
    assert.equal(tags('report.dcm').notAnImage, 'not an image (structured report (SR))');
    assert.equal(tags('DICOMDIR').notAnImage, 'not an image (DICOMDIR (media directory))');
    assert.equal(tags('mono2.dcm').notAnImage, null);
  });

  describe('tag list', () => {
    let rows: DicomTagEntry[];
    const row = (keyword: string): DicomTagEntry => {
      const found = rows.find((r) => r.keyword === keyword);
      assert.ok(found, `no row for ${keyword}`);
      return found;
    };
    before(() => {
      rows = listDicomTags(fs.readFileSync(c.files['voi-lut.dcm']));
    });

    it('lists every attribute with tag, keyword, VR and value', () => {
      assert.deepEqual(row('PatientName'), { tag: '(0010,0010)', keyword: 'PatientName', vr: 'PN', value: 'Doe^Jane', depth: 0, phi: true });
      assert.deepEqual(row('Rows'), { tag: '(0028,0010)', keyword: 'Rows', vr: 'US', value: '416', depth: 0, phi: false });
      assert.deepEqual(row('PixelData'), { tag: '(7FE0,0010)', keyword: 'PixelData', vr: 'OW', value: `<${512 * 416 * 2} bytes>`, depth: 0, phi: false });
      assert.equal(row('VOILUTSequence').value, '<1 item>');
      assert.deepEqual(row('LUTDescriptor'), { tag: '(0028,3002)', keyword: 'LUTDescriptor', vr: 'US', value: '4096\\0\\8', depth: 1, phi: false });
    });

    it('marks the identifying attributes as PHI, and not the clinical ones', () => {
      const phi = ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientAddress', 'AccessionNumber', 'StudyDate', 'StudyInstanceUID', 'SOPInstanceUID', 'MediaStorageSOPInstanceUID'];
      const clinical = ['PatientSex', 'Modality', 'BodyPartExamined', 'SeriesDescription', 'Manufacturer', 'InstitutionName', 'StationName', 'VOILUTSequence', 'LUTDescriptor', 'BitsStored', 'SOPClassUID', 'TransferSyntaxUID'];
      assert.deepEqual(phi.filter((keyword) => !row(keyword).phi), []);
      assert.deepEqual(clinical.filter((keyword) => row(keyword).phi), []);
    });

    it('gives implicit-VR files their VRs from the dictionary', () => {
      const implicit = listDicomTags(fs.readFileSync(c.files['implicit.dcm']));
      assert.deepEqual(implicit.find((r) => r.keyword === 'PatientBirthDate'), { tag: '(0010,0030)', keyword: 'PatientBirthDate', vr: 'DA', value: '19700101', depth: 0, phi: true });
      assert.equal(implicit.find((r) => r.keyword === 'Columns')?.value, '512');
    });
  });
});
