/** The integration suite's counts, printed by the extension host behind a marker for the runner to read. */
export interface SuiteResult {
  vscodeVersion: string;
  passed: number;
  failed: number;
}

export const RESULT_MARKER = 'XRAY_CURATOR_SUITE_RESULT ';
