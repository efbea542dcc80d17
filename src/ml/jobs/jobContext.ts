import type { JobProgress } from './jobProtocol';

/** What every job gets: a signal that aborts it, and a way to report progress. */
export interface JobContext {
  signal: AbortSignal;
  progress(update: JobProgress): void;
}

/** Thrown (or rejected with) when a job stops because it was cancelled. */
export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelledError();
}
