import * as path from 'node:path';
import { writeAtomically } from '../../dataset/atomicFile';
import { reportsDir } from '../report/writeReport';
import { renderMultiLabelHtml, type MultiLabelReportInput } from './reportHtml';
import { MULTILABEL_VERSION_FORMAT } from './versionStore';

/**
 * Writes `<stateDir>/reports/findings-v{N}.html` and `.json` (the numbers behind the page) atomically; returns
 * both paths. A second report of the same version replaces the first. (writeAtomically creates the folder.)
 */
export async function writeMultiLabelReport(stateDir: string, input: MultiLabelReportInput): Promise<{ html: string; json: string }> {
  const { info, datasetName } = input;
  const base = path.join(reportsDir(stateDir), `findings-v${info.modelVersion}`);
  const paths = { html: `${base}.html`, json: `${base}.json` };
  // Rendered before anything is written, so a rendering error leaves no half-made pair.
  const html = renderMultiLabelHtml(input);
  const json = {
    version: MULTILABEL_VERSION_FORMAT,
    kind: 'multilabel-report',
    modelVersion: info.modelVersion,
    parent: info.parent,
    datasetName,
    metrics: info.metrics,
    leftOut: info.leftOut,
    trainedOn: info.trainedOn,
    thresholds: info.thresholds,
    thresholdMethod: info.thresholdMethod,
  };
  await writeAtomically(paths.json, `${JSON.stringify(json, null, 2)}\n`);
  await writeAtomically(paths.html, html);
  return paths;
}
