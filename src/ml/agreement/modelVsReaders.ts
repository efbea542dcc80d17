// The model measured against the readers (single-label): every reader's and the model's sensitivity and specificity
// against the consensus, per class one against the rest, drawn as points on the model's ROC curve (the picture of the
// CheXNet paper), and the model's Cohen's kappa with each reader.
import { rocCurve } from '../metrics/curves';
import { cohenKappa } from './cohenKappa';
import type { AgreementEstimate, AgreementOptions } from './estimate';
import { estimateWithInterval, NO_PAIRED_ITEM } from './estimate';

export interface OperatingPoint {
  class: string;
  /** Items whose consensus is the class / another class, among those compared. */
  positives: number;
  negatives: number;
  truePositives: number;
  trueNegatives: number;
  /** Null when there is no positive (sensitivity) or no negative (specificity) to measure it on. */
  sensitivity: number | null;
  specificity: number | null;
}

export interface ReaderAgainstConsensus {
  reader: string;
  /** Items the reader read that have a consensus. */
  n: number;
  perClass: OperatingPoint[];
  /** The model's kappa with this reader, on the items both the reader read and the model predicted. */
  modelKappa: { n: number; kappa: AgreementEstimate };
}

/** The model's ROC curve of one class against the rest, on the items with a consensus. */
export interface ConsensusRoc {
  class: string;
  /** Null without a positive or a negative item. */
  auc: number | null;
  /** At most MAX_CURVE_POINTS points, (0, 0) to (1, 1). */
  fpr: number[];
  tpr: number[];
}

export interface ModelVsReaders {
  modelVersion: string;
  /** Items with a consensus and a prediction. */
  n: number;
  /** The model's predicted class (highest probability) against the consensus. */
  model: OperatingPoint[];
  /** Per class, when the predictions carry probabilities: where the readers' points sit against the model. */
  curves?: ConsensusRoc[];
  readers: ReaderAgainstConsensus[];
  note: string;
}

export const MODEL_VS_READERS_NOTE =
  'Each reader is measured against the consensus their own readings are part of, which favours the readers over the model.';

export interface ModelVsReadersInput {
  modelVersion: string;
  classes: readonly string[];
  /** Readings by item, reader → class. */
  readings: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Consensus class of the settled items. */
  consensus: ReadonlyMap<string, string>;
  /** The model's predicted class by item. */
  predicted: ReadonlyMap<string, string>;
  /** The model's probabilities by item, in the order of `classes`. */
  probabilities?: ReadonlyMap<string, readonly number[]>;
}

/** A curve is thinned to this many points: the report draws it, and the JSON stays small at 400,000 items. */
export const MAX_CURVE_POINTS = 200;

export function modelVsReaders(input: ModelVsReadersInput, options: AgreementOptions = {}): ModelVsReaders {
  const classes = [...new Set([...input.classes, ...input.predicted.values(), ...input.consensus.values()])].sort();
  const modelPairs = [...input.predicted].filter(([item]) => input.consensus.has(item)).map(([item, value]) => [value, input.consensus.get(item)!] as const);
  const readers = [...new Set([...input.readings.values()].flatMap((votes) => [...votes.keys()]))].sort();
  return {
    modelVersion: input.modelVersion,
    n: modelPairs.length,
    model: operatingPoints(classes, modelPairs),
    readers: readers.map((reader) => {
      const own: (readonly [string, string])[] = [];
      const withModel: (readonly [string, string])[] = [];
      for (const [item, votes] of input.readings) {
        const value = votes.get(reader);
        if (value === undefined) continue;
        const truth = input.consensus.get(item);
        if (truth !== undefined) own.push([value, truth]);
        const predicted = input.predicted.get(item);
        if (predicted !== undefined) withModel.push([value, predicted]);
      }
      return { reader, n: own.length, perClass: operatingPoints(classes, own), modelKappa: pairKappa(classes, withModel, options) };
    }),
    ...(input.probabilities ? { curves: consensusCurves(input.classes, input.probabilities, input.consensus) } : {}),
    note: MODEL_VS_READERS_NOTE,
  };
}

export function consensusCurves(classes: readonly string[], probabilities: ReadonlyMap<string, readonly number[]>, consensus: ReadonlyMap<string, string>): ConsensusRoc[] {
  const items = [...consensus].filter(([item]) => probabilities.has(item));
  return classes.map((name, c) => {
    const positives = items.map(([, truth]) => truth === name);
    if (!positives.includes(true) || !positives.includes(false)) return { class: name, auc: null, fpr: [], tpr: [] };
    const roc = rocCurve(items.map(([item]) => probabilities.get(item)![c]), positives);
    const keep = thinned(roc.fpr.length);
    return { class: name, auc: roc.auc, fpr: keep.map((i) => roc.fpr[i]), tpr: keep.map((i) => roc.tpr[i]) };
  });
}

/** Indices of at most MAX_CURVE_POINTS points spread evenly, the first and the last kept. */
function thinned(length: number): number[] {
  if (length <= MAX_CURVE_POINTS) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: MAX_CURVE_POINTS }, (_, j) => Math.round((j * (length - 1)) / (MAX_CURVE_POINTS - 1)));
}

/** One-vs-rest sensitivity and specificity of `[given, truth]` pairs for every class. */
export function operatingPoints(classes: readonly string[], pairs: readonly (readonly [string, string])[]): OperatingPoint[] {
  return classes.map((name) => {
    let positives = 0;
    let truePositives = 0;
    let trueNegatives = 0;
    for (const [given, truth] of pairs) {
      if (truth === name) {
        positives++;
        if (given === name) truePositives++;
      } else if (given !== name) trueNegatives++;
    }
    const negatives = pairs.length - positives;
    return {
      class: name,
      positives,
      negatives,
      truePositives,
      trueNegatives,
      sensitivity: positives > 0 ? truePositives / positives : null,
      specificity: negatives > 0 ? trueNegatives / negatives : null,
    };
  });
}

export function pairKappa(classes: readonly string[], pairs: readonly (readonly [string, string])[], options: AgreementOptions): { n: number; kappa: AgreementEstimate } {
  const code = new Map(classes.map((name, c) => [name, c]));
  const first = Int32Array.from(pairs, ([a]) => code.get(a)!);
  const second = Int32Array.from(pairs, ([, b]) => code.get(b)!);
  return { n: pairs.length, kappa: estimateWithInterval(pairs.length, (w) => cohenKappa(first, second, classes.length, w), NO_PAIRED_ITEM, options) };
}
