// Multi-label findings on cached embeddings: training, prediction, per-finding evaluation, stored versions.
export { DEFAULT_MULTILABEL_CONFIG, DEFAULT_UNCERTAINTY, resolveMultiLabelConfig, uncertaintyOf } from './config';
export type { MultiLabelTrainConfig, UncertaintyPolicy } from './config';
export { cooccurrence, evaluateFindings, youdenThreshold } from './findingMetrics';
export type { EvaluateFindingsInput, FindingEvaluation, MultiLabelEvaluation, ThresholdMethod } from './findingMetrics';
export { evaluateMultiLabelItems, predictMultiLabel } from './evaluateMultiLabel';
export type { MultiLabelEvaluationReport } from './evaluateMultiLabel';
export { iterativeGroupSplit } from './stratify';
export { evaluationTarget, labelMatrix, trainingTarget } from './targets';
export type { LabelMatrix } from './targets';
export { trainMultiLabel, PATIENT_COLUMN } from './trainMultiLabel';
export type { MultiLabelTrainableItem, TrainMultiLabelOptions } from './trainMultiLabel';
export { positiveWeightsOf, trainSigmoidHead } from './trainSigmoidHead';
export type { MultiLabelSet, SigmoidEpochLog, TrainSigmoidInput, TrainSigmoidResult } from './trainSigmoidHead';
export { isMultiLabelVersionDir, latestMultiLabelVersion, multiLabelModelsDir, MULTILABEL_VERSION_FORMAT, readMultiLabelValidation, readMultiLabelVersion } from './versionStore';
export type { MultiLabelValidation, MultiLabelVersion, MultiLabelVersionInfo } from './versionStore';
