import * as vscode from 'vscode';
import { JobCancelledError } from '../ml/jobs/jobContext';
import { runJob } from '../ml/jobs/runJob';

/**
 * Runs a worker-thread job under a cancellable progress notification. Resolves with the job's result, or
 * undefined when the user cancelled it (the job leaves no half-written files: everything it saves is written to
 * a temporary name and renamed; `whenCancelled` says what is kept, for a job whose caches keep what it did).
 */
export async function runJobWithProgress<T>(title: string, kind: string, params: unknown, whenCancelled = 'nothing was saved'): Promise<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    let reported = 0;
    try {
      return await runJob<T>(kind, params, {
        signal: controller.signal,
        onProgress: ({ message, fraction }) => {
          // withProgress takes increments; the job reports where it stands.
          const increment = fraction === undefined ? undefined : Math.max(0, fraction * 100 - reported);
          if (increment !== undefined) reported += increment;
          progress.report({ message, increment });
        },
      });
    } catch (error) {
      if (error instanceof JobCancelledError) {
        void vscode.window.showInformationMessage(`X-Ray Curator: ${title} cancelled; ${whenCancelled}.`);
        return undefined;
      }
      throw error;
    } finally {
      cancel.dispose();
    }
  });
}
