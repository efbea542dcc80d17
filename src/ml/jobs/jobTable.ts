import type { JobContext } from './jobContext';
import { fullRangePixels } from '../../dataset/fullRangePixels';
import { datasetAgreement, saveAgreementReport } from '../agreement';
import { saveValidationReport } from '../report';
import { regionSearchJob } from '../region/regionJob';
import type { RegionSearchParams } from '../region/regionJob';
import { explainImage } from '../saliency';
import type { SaliencyParams } from '../saliency';
import { auditDatasetJob, retrainDataset, scoreDataset } from './datasetJobs';
import type { DatasetJobParams, RetrainParams } from './datasetJobs';

/** The jobs a worker thread can run, by name. Parameters come from the host, which built them itself. */
export const JOBS: Record<string, (params: unknown, ctx: JobContext) => Promise<unknown>> = {
  score: (params, ctx) => scoreDataset(params as DatasetJobParams, ctx),
  retrain: (params, ctx) => retrainDataset(params as RetrainParams, ctx),
  audit: (params, ctx) => auditDatasetJob(params as DatasetJobParams, ctx),
  report: (params, ctx) => {
    const { root, modelVersion } = params as { root: string; modelVersion?: number };
    ctx.progress({ message: 'bootstrapping confidence intervals' });
    return saveValidationReport(root, modelVersion, { signal: ctx.signal });
  },
  saliency: (params, ctx) => {
    ctx.progress({ message: 'computing the saliency map' });
    return explainImage(params as SaliencyParams, ctx.signal);
  },
  agreement: async (params, ctx) => {
    const { root } = params as { root: string };
    ctx.progress({ message: 'bootstrapping the agreement intervals' });
    const { report } = await datasetAgreement(root);
    return { report, paths: await saveAgreementReport(root, report, ctx.signal) };
  },
  regionSearch: (params, ctx) => regionSearchJob(params as RegionSearchParams, ctx),
  fullRange: (params) => fullRangePixels((params as { file: string }).file),
};
