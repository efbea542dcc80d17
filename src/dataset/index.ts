// The dataset core's public API: the extension, the ML code and the command-line tool import from here.
export type { Dataset, DatasetItem, DatasetProblem, OpenDatasetOptions } from './types';
export { openDataset, applyJournalState } from './openDataset';
export { LabelJournal, readJournal, JOURNAL_FILE_NAME } from './labelJournal';
export type { JournalEdit, JournalItem, ShownPrediction } from './labelJournal';
export type { JournalEntry, JournalKind, JournalState, ItemOverride } from './journalEntry';
export { decodeForModel, decodeImage, thumbnail, thumbnailPath, readImageHeader, MAX_IMAGE_PIXELS, THUMBNAIL_SIZE } from './image';
export type { RgbImage, DecodeRequest, DecodeResult, ImageHeader } from './image';
export { IMAGE_EXTENSIONS } from './imageFormat';
export { classNameProblem } from './manifest';
export { STATE_DIR_NAME, UNLABELED_DIR_NAME } from './safePath';
export { watchDataset } from './watchDataset';
export type { DatasetChanges, DatasetWatcher, WatchOptions } from './watchDataset';
export { planApplyToFolders, applyToFolders } from './applyToFolders';
export type { PlannedMove } from './applyToFolders';
export { exportCurated } from './exportCurated';
export type { ExportOptions, ExportReport } from './exportCurated';
export { stateDirOf, userCacheDir, userThumbnailCacheDir } from './userCache';
