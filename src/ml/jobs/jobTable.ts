import type { JobContext } from './jobContext';
import { retrainDataset, scoreDataset } from './datasetJobs';
import type { DatasetJobParams, RetrainParams } from './datasetJobs';

/** The jobs a worker thread can run, by name. Parameters come from the host, which built them itself. */
export const JOBS: Record<string, (params: unknown, ctx: JobContext) => Promise<unknown>> = {
  score: (params, ctx) => scoreDataset(params as DatasetJobParams, ctx),
  retrain: (params, ctx) => retrainDataset(params as RetrainParams, ctx),
};
