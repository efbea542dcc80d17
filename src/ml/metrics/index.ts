/** Classification metrics, ranking curves, operating points and bootstrap confidence intervals. */
export {
  classificationMetrics,
  confusionMatrix,
  fillConfusion,
  metricsFromConfusion,
  type ClassificationMetrics,
  type ClassMetrics,
} from './confusion';
export {
  averagePrecision,
  prCurve,
  rankScores,
  rocAuc,
  rocCurve,
  summarizeRanking,
  type PrCurve,
  type RankedScores,
  type RankingSummary,
  type RocCurve,
} from './curves';
export { oneVsRest, type ClassCurves, type OneVsRestResult } from './oneVsRest';
export {
  metricsAtThreshold,
  operatingPoints,
  type OperatingPoint,
  type OperatingPointTarget,
  type ThresholdMetrics,
} from './operatingPoints';
export {
  bootstrapCI,
  bootstrapCIs,
  DEFAULT_BOOTSTRAP_ALPHA,
  DEFAULT_BOOTSTRAP_ITERATIONS,
  DEFAULT_BOOTSTRAP_SEED,
  quantile,
  type BootstrapOptions,
  type ConfidenceInterval,
  type ResampleStatistic,
} from './bootstrap';
export {
  evaluate,
  predictedClasses,
  type ClassEvaluation,
  type EvaluateOptions,
  type Evaluation,
  type JsonOperatingPoint,
  type MetricEstimate,
} from './evaluate';
export type { Weights } from './inputs';
