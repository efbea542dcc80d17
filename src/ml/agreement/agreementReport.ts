// The agreement report of a dataset's readings: the statistics, the consensus under the chosen rule, and (single-label,
// with predictions) the model against the readers. The JSON `xray-curator agreement` writes.
import { applyConsensus, formatConsensusRule } from '../../dataset/readers';
import type { ConsensusRule, DatasetReadings, Unsettled, Votes } from '../../dataset/readers';
import { buildAgreement, NOT_POSITIVE, POSITIVE } from './buildAgreement';
import type { AgreementInput, AgreementStatistics } from './buildAgreement';
import type { AgreementOptions } from './estimate';
import { modelVsReaders } from './modelVsReaders';
import { findingsVsReaders } from './modelVsReadersFindings';
import type { ModelFindingProbabilities } from './modelVsReadersFindings';
import type { ModelVsReaders } from './modelVsReaders';
import type { RatedUnit } from './ratings';

export const AGREEMENT_VERSION = 1;

export interface ConsensusSummary {
  rule: string;
  /** Items (multi-label: item findings) the rule settles, with those an adjudicator decided. */
  settled: number;
  /** Of the settled: those an adjudicator decided. */
  adjudicated?: number;
  /** The others, with each reader's reading; multi-label: `finding` says which. */
  unsettled: (Unsettled & { finding?: string })[];
}

export interface AgreementReport extends AgreementStatistics {
  version: typeof AGREEMENT_VERSION;
  dataset: string;
  createdAt: string;
  consensus: ConsensusSummary;
  modelVsReaders?: ModelVsReaders;
  warnings: string[];
}

/** A model's predicted class per item, as a predictions file gives it. */
export interface ModelPredictedClasses {
  modelVersion: string;
  classes: readonly string[];
  predicted: ReadonlyMap<string, string>;
  /** Per item, in the order of `classes`: the model's ROC curves are drawn with the readers' points on them. */
  probabilities?: ReadonlyMap<string, readonly number[]>;
}

export interface AgreementReportInput {
  dataset: string;
  readings: DatasetReadings;
  rule: ConsensusRule;
  predictions?: ModelPredictedClasses;
  /** Multi-label: the findings model's probabilities, for the model against the readers per finding. */
  findingPredictions?: ModelFindingProbabilities;
  options?: AgreementOptions;
}

export function buildAgreementReport(input: AgreementReportInput): AgreementReport {
  const { readings, rule, options = {} } = input;
  const warnings: string[] = [];
  const statistics = buildAgreement(agreementInput(readings), options);
  if (statistics.readers.length < 2) warnings.push(`${statistics.readers.length} reader(s): agreement needs at least two`);
  let consensus: ConsensusSummary;
  let versus: ModelVsReaders | undefined;
  if (readings.kind === 'single-label') {
    const votes = votesByItem(readings.readings.map((r) => [r.item, r.reader, r.value]));
    const decided = new Map((readings.decisions ?? []).map((d) => [d.item, d.label]));
    const result = applyConsensus(rule, votes, decided);
    consensus = { rule: formatConsensusRule(rule), settled: result.settled.size, ...(decided.size ? { adjudicated: decided.size } : {}), unsettled: result.unsettled };
    if (input.predictions) {
      const { modelVersion, classes, predicted, probabilities } = input.predictions;
      versus = modelVsReaders({ modelVersion, classes, readings: votes, consensus: result.settled, predicted, probabilities }, options);
    }
  } else {
    let settled = 0;
    let adjudicated = 0;
    const unsettled: ConsensusSummary['unsettled'] = [];
    const byFinding = new Map<string, ReadonlyMap<string, string>>();
    for (const finding of readings.findings) {
      const votes = votesByItem(readings.readings.flatMap((r) => (r.value[finding] === undefined ? [] : [[r.item, r.reader, r.value[finding]] as const])));
      const decided = new Map((readings.decisions ?? []).filter((d) => d.finding === finding).map((d) => [d.item, d.state]));
      const result = applyConsensus(rule, votes, decided);
      settled += result.settled.size;
      adjudicated += decided.size;
      byFinding.set(finding, result.settled);
      unsettled.push(...result.unsettled.map((u) => ({ ...u, finding })));
    }
    consensus = { rule: formatConsensusRule(rule), settled, ...(adjudicated ? { adjudicated } : {}), unsettled };
    if (input.findingPredictions) versus = findingsVsReaders({ model: input.findingPredictions, readings: readings.readings, consensus: byFinding }, options);
    else if (input.predictions) warnings.push("a multi-label dataset is measured against its findings model's probabilities, not a class model's");
  }
  return {
    version: AGREEMENT_VERSION,
    dataset: input.dataset,
    createdAt: new Date().toISOString(),
    ...statistics,
    consensus,
    ...(versus ? { modelVsReaders: versus } : {}),
    warnings,
  };
}

/** The statistics' input: one unit per image (per finding, positive or not, for multi-label). */
export function agreementInput(readings: DatasetReadings): AgreementInput {
  if (readings.kind === 'single-label') {
    const votes = votesByItem(readings.readings.map((r) => [r.item, r.reader, r.value]));
    return { kind: 'single-label', classes: readings.classes, units: unitsOf(votes) };
  }
  return {
    kind: 'multi-label',
    findings: readings.findings.map((name) => {
      const stated = readings.readings.flatMap((r) => {
        const state = r.value[name];
        return state === undefined ? [] : [[r.item, r.reader, state === 'positive' ? POSITIVE : NOT_POSITIVE] as const];
      });
      return { name, units: unitsOf(votesByItem(stated)) };
    }),
  };
}

function votesByItem(readings: readonly (readonly [string, string, string])[]): Map<string, Votes> {
  const votes = new Map<string, Map<string, string>>();
  for (const [item, reader, value] of readings) {
    let itemVotes = votes.get(item);
    if (!itemVotes) votes.set(item, (itemVotes = new Map()));
    itemVotes.set(reader, value);
  }
  return votes;
}

function unitsOf(votes: ReadonlyMap<string, Votes>): RatedUnit[] {
  return [...votes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, readings]) => ({ id, group: id, readings }));
}
