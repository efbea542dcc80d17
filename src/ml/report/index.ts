/** The balanced-metric report: build it from predictions, render it as Markdown or HTML, save it. */
export { buildReport, DEFAULT_MIN_SOURCE_ITEMS, DEFAULT_TARGETS, NEGATIVE_CLASS_NAME, NO_SOURCE, positiveClassOf } from './buildReport';
export { compareReports } from './compare';
export { renderHtml, type HtmlOptions } from './html';
export { escapeMarkdown, renderMarkdown } from './markdown';
export { latestReport, parseReport, reportsDir, REPORTS_DIR_NAME, writeReport, type ReportPaths } from './writeReport';
export {
  REPORT_VERSION,
  type MetricChange,
  type Report,
  type ReportComparison,
  type ReportInput,
  type ReportItem,
  type ReportModel,
  type ReportOptions,
  type SourceBreakdown,
  type ThresholdTable,
} from './types';
export { reportItemsOf, reportModelOf, saveValidationReport, type SavedReport } from './datasetReport';
