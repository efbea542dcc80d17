// Messages between the extension host (or the CLI) and the worker thread that runs one long ML job.

export interface JobProgress {
  message: string;
  /** Share of the whole job done, 0…1, when known. */
  fraction?: number;
}

export type ToJobWorker = { type: 'cancel' };

export type FromJobWorker =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; message: string; cancelled: boolean };

/** What a job's worker gets at start (as `workerData`). */
export interface JobStart {
  kind: string;
  params: unknown;
}
