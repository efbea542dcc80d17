/** The ML engine: backbone, embeddings in a worker pool, embedding cache, head training, model versions, predictions. */
export { initEngine, type BackendName, type EngineInfo } from './engine';
export { backboneDigest, fetchBackbone, loadBackbone, type Backbone, type BackboneFiles, type LoadBackboneOptions } from './backbone';
export { compileFrozenForward, type FrozenForward } from './frozenForward';
export { decodeToInput, scaleToInput, PREPROCESS_VERSION } from './preprocess';
export { applyAugmentation, augmentTag, sampleAugmentation, AUGMENT_VERSION, type AugmentParams } from './augment';
export {
  DEFAULT_AUGMENT_CONFIG,
  DEFAULT_TRAIN_CONFIG,
  resolveTrainConfig,
  type AugmentConfig,
  type OptimizerName,
  type TrainConfig,
} from './config';
export { EmbedPool, type EmbedPoolOptions, type EmbedProgress, type EmbedResult, type EmbedRunOptions, type PoolInfo } from './embedPool';
export { EmbeddingCache, EMBEDDING_CACHE_VERSION, type EmbeddingSpace } from './embeddingCache';
export { embedWithCache, type EmbedRequest, type Embeddings } from './embedder';
export { createHead, headVariables, readHeadWeights, writeHeadWeights, type HeadWeights } from './head';
export { balancedClassWeights, trainHead, type EpochLog, type FeatureSet, type TrainHeadInput, type TrainHeadResult } from './trainHead';
export { loadModelFromDir, saveModelToDir } from './layersModelIO';
export {
  backboneLocation,
  labelsFingerprint,
  latestVersion,
  listVersions,
  loadHead,
  modelsDir,
  readValidation,
  readVersionInfo,
  saveVersion,
  MODEL_VERSION_FORMAT,
  type BackboneRecord,
  type SavedBackbone,
  type ValidationPredictions,
  type ModelVersion,
  type ModelVersionInfo,
} from './modelStore';
export { predictProbabilities, summarize, PREDICTIONS_VERSION, type ItemPrediction, type PredictionsFile } from './predict';
export { MlSession, stateDirOf, type EmbeddableItem, type ItemFeatures, type MlProgress, type MlSessionOptions, type RunOptions } from './session';
export { trainFineTuned, type FineTuneRun, type FineTuneSide, type FineTunedModel } from './trainFineTuned';
export { trainModel, GROUP_COLUMN, type TrainableItem, type TrainModelOptions } from './trainModel';
export { evaluateItems, predictItems, EVALUATION_VERSION, SOURCE_COLUMN, type EvaluationReport } from './predictItems';
