// Readers of a dataset: each reader's own readings and the consensus rules that turn them into one label.
export { datasetReadings, importedReadings, journalReadings } from './readings';
export type { DatasetReadings, Decision, FindingDecision, JournalReadings, Reading } from './readings';
export { adjudicator, applyConsensus, consensusOf, DEFAULT_CONSENSUS, formatConsensusRule, majority, parseConsensusRule, single, unanimous } from './consensus';
export type { ConsensusResult, ConsensusRule, Outcome, Unsettled, Votes } from './consensus';
export {
  consensusState,
  describeReadersConfig,
  readConsensusRule,
  readerNames,
  readReadersConfig,
  READERS_FILE_NAME,
  unsettledWarning,
  writeConsensusRule,
  writeReadersConfig,
} from './readersConfig';
export type { ReadersConfig } from './readersConfig';
export { assignedReaders, readingOrder, studyProblems, waitsFor } from './study';
export type { ReadingStudy } from './study';
