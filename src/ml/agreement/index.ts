// Agreement among a dataset's readers: Cohen's, Fleiss' kappa, Krippendorff's alpha with bootstrap intervals, the
// model against the readers, and the report renderers.
export { buildAgreement, NOT_POSITIVE, POSITIVE } from './buildAgreement';
export type { AgreementInput, AgreementStatistics, ReaderConfusion, ReaderPrevalence } from './buildAgreement';
export { agreementInput, AGREEMENT_VERSION, buildAgreementReport } from './agreementReport';
export type { AgreementReport, AgreementReportInput, ConsensusSummary, ModelPredictedClasses } from './agreementReport';
export { cohenKappa, confusionCounts } from './cohenKappa';
export { fleissKappa } from './fleissKappa';
export { krippendorffAlpha } from './krippendorffAlpha';
export { DEFAULT_AGREEMENT_OPTIONS, estimateWithInterval, NO_MULTIPLY_READ_ITEM, NO_PAIRED_ITEM, ONE_CATEGORY } from './estimate';
export type { AgreementEstimate, AgreementOptions } from './estimate';
export { MAX_CURVE_POINTS, modelVsReaders, MODEL_VS_READERS_NOTE } from './modelVsReaders';
export type { ConsensusRoc, ModelVsReaders, OperatingPoint, ReaderAgainstConsensus } from './modelVsReaders';
export { categoryCounts, MISSING, oneVsRest, pairedCodes, ratingTable } from './ratings';
export type { RatedUnit, RatingTable } from './ratings';
export { alphaOf, fleissOf, pairKappas, tableAgreement } from './statistics';
export type { PairKappa, TableAgreement } from './statistics';
export { renderAgreementHtml, renderAgreementMarkdown } from './render';
export { AGREEMENT_FILE_PREFIX, datasetAgreement, parseAgreementReport, saveAgreementReport } from './datasetAgreement';
export type { DatasetAgreementOptions } from './datasetAgreement';
export { findingsVsReaders } from './modelVsReadersFindings';
export type { FindingsVsReadersInput, ModelFindingProbabilities } from './modelVsReadersFindings';
