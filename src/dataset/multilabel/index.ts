// Multi-label datasets: the label model, the importers of the public chest X-ray sets, and the exporter.
export type { FindingState, Findings, LabelTable, MetadataKey, MultiLabelFormat, MultiLabelImport, MultiLabelInfo, MultiLabelItem, MultiLabelOptions, RecordLink } from './types';
export { detectLabelFiles, formatHandler, importMultiLabel } from './importMultiLabel';
export { exportMultiLabel } from './exportMultiLabel';
export type { CuratedItem, MultiLabelExportReport } from './exportMultiLabel';
export { NIH_FINDINGS } from './nih';
export { majority } from './states';
