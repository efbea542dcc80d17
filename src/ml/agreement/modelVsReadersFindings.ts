// The model against the readers on a multi-label dataset: per finding, positive against not, every reader's and the
// findings model's sensitivity and specificity against the readers' consensus, drawn on the model's ROC curve of that
// finding (the CheXNet picture is this, for pneumonia), and the model's kappa with each reader pooled over findings.
import type { Findings } from '../../dataset/multilabel/types';
import type { Reading } from '../../dataset/readers';
import { NOT_POSITIVE, POSITIVE } from './buildAgreement';
import type { AgreementOptions } from './estimate';
import { consensusCurves, MODEL_VS_READERS_NOTE, operatingPoints, pairKappa } from './modelVsReaders';
import type { ConsensusRoc, ModelVsReaders, OperatingPoint } from './modelVsReaders';

/** A findings model's probabilities per item, as its predictions file gives them. */
export interface ModelFindingProbabilities {
  modelVersion: string;
  findings: readonly string[];
  /** Called positive at or above; null: no threshold chosen (no operating point for the model). */
  thresholds: readonly (number | null)[];
  probabilities: ReadonlyMap<string, readonly number[]>;
}

export interface FindingsVsReadersInput {
  model: ModelFindingProbabilities;
  readings: readonly Reading<Findings>[];
  /** Per finding, the consensus state of each settled item. */
  consensus: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const positive = (state: string | undefined): string => (state === 'positive' ? POSITIVE : NOT_POSITIVE);

export function findingsVsReaders(input: FindingsVsReadersInput, options: AgreementOptions = {}): ModelVsReaders {
  const { model } = input;
  const readers = [...new Set(input.readings.map((r) => r.reader))].sort();
  const modelPoints: OperatingPoint[] = [];
  const readerPoints = new Map(readers.map((reader) => [reader, { n: new Set<string>(), points: [] as OperatingPoint[] }]));
  const curves: ConsensusRoc[] = [];
  // Pooled over findings, for the kappa of each reader with the model: [reader's call, model's call].
  const withModel = new Map(readers.map((reader) => [reader, [] as [string, string][]]));
  const compared = new Set<string>();
  model.findings.forEach((finding, k) => {
    const truth = new Map([...(input.consensus.get(finding) ?? [])].map(([item, state]) => [item, positive(state)]));
    const threshold = model.thresholds[k];
    const called = (item: string): string | undefined => {
      const p = model.probabilities.get(item)?.[k];
      return p === undefined || threshold === null ? undefined : p >= threshold ? POSITIVE : NOT_POSITIVE;
    };
    const modelPairs = [...truth].flatMap(([item, t]) => {
      const c = called(item);
      if (c === undefined) return [];
      compared.add(item);
      return [[c, t] as const];
    });
    modelPoints.push(pointOf(finding, modelPairs));
    for (const reader of readers) {
      const own: (readonly [string, string])[] = [];
      for (const reading of input.readings) {
        if (reading.reader !== reader || reading.value[finding] === undefined) continue;
        const call = positive(reading.value[finding]);
        const t = truth.get(reading.item);
        if (t !== undefined) {
          own.push([call, t]);
          readerPoints.get(reader)!.n.add(reading.item);
        }
        const c = called(reading.item);
        if (c !== undefined) withModel.get(reader)!.push([call, c]);
      }
      readerPoints.get(reader)!.points.push(pointOf(finding, own));
    }
    const probs = new Map([...model.probabilities].map(([item, p]) => [item, [p[k], 1 - p[k]]]));
    curves.push({ ...consensusCurves([POSITIVE, NOT_POSITIVE], probs, truth)[0], class: finding });
  });
  const binary = [POSITIVE, NOT_POSITIVE];
  return {
    modelVersion: model.modelVersion,
    n: compared.size,
    model: modelPoints,
    curves,
    readers: readers.map((reader) => ({
      reader,
      n: readerPoints.get(reader)!.n.size,
      perClass: readerPoints.get(reader)!.points,
      modelKappa: pairKappa(binary, withModel.get(reader)!, options),
    })),
    note: `${MODEL_VS_READERS_NOTE} The model calls a finding positive at its threshold; its kappa with a reader pools every finding of every image both read.`,
  };
}

/** The finding's point: the POSITIVE class of the binary problem, named by the finding. */
function pointOf(finding: string, pairs: readonly (readonly [string, string])[]): OperatingPoint {
  return { ...operatingPoints([POSITIVE, NOT_POSITIVE], pairs)[0], class: finding };
}
