/**
 * Source-shortcut audit: can the class be told from metadata alone (source, view, image size, format, ...),
 * can the source be told from the embeddings, where does the classifier fail per source and on a source
 * it never saw, and what do grouped splits and source-balanced training change. Every number is out of fold.
 */
import { classificationMetrics, predictedClasses } from '../metrics';
import { seededRandom, shuffled, stratifiedGroupKFold, type GroupId } from '../splits';
import { selectRows, type FeatureMatrix } from './matrix';
import { crossValidatedProbabilities, fitSoftmax, predictSoftmax } from './softmaxRegression';

/** One piece of metadata per item: categories (strings) or numbers, possibly several columns (width, height). */
export interface MetadataAttribute {
  name: string;
  columns: { kind: 'categorical' | 'numeric'; values: readonly (string | number | null)[] }[];
}

export interface ShortcutInput {
  classes: readonly string[];
  /** Class index per item. */
  labels: readonly number[];
  attributes: readonly MetadataAttribute[];
  /** Name of the attribute that says where an image comes from. Default `source`. */
  sourceAttribute?: string;
  /** Embeddings (projected), for metadata-from-embeddings, per-source and leave-one-source-out models. */
  features: FeatureMatrix;
  /** Out-of-fold class probabilities of softmax regression on `features`, folds grouped by `groups`. */
  probabilities: readonly (readonly number[])[];
  /** Groups for every cross-validation here (patients and duplicate clusters). */
  groups: readonly GroupId[];
  seed?: number;
  /**
   * The attributes as predicted from the embeddings, when already known: they do not depend on the labels, so the
   * audit of each finding of a multi-label set computes them once.
   */
  metadataFromEmbeddings?: readonly AttributePrediction[];
}

export interface ClassPrediction {
  /** What the class was predicted from: an attribute's name, `all metadata`, or `embeddings`. */
  from: string;
  /** Out-of-fold balanced accuracy over the classes; chance is 1 / number of classes. */
  balancedAccuracy: number | null;
  chance: number;
  /** Per class, one against the rest: (sensitivity + specificity) / 2 of "predicted = this class". */
  perClass: { class: string; balancedAccuracy: number | null; sensitivity: number | null }[];
}

export interface AttributePrediction {
  attribute: string;
  /** Categories predicted (those with at least {@link MIN_CATEGORY_ITEMS} items; other items left out). */
  categories: string[];
  items: number;
  balancedAccuracy: number | null;
  chance: number;
}

export interface SourceEvaluation {
  source: string;
  items: number;
  /** Items per class in this source. */
  counts: number[];
  accuracy: number | null;
  /** Over the classes present in this source. */
  balancedAccuracy: number | null;
  /** Sensitivity per class (null where the source has none of it). */
  sensitivity: (number | null)[];
}

export interface Remedy {
  name: 'grouped-splits' | 'source-balanced-training';
  description: string;
  /** Metric before → after the remedy, as measured here. */
  metric: string;
  before: number | null;
  after: number | null;
}

export interface ShortcutReport {
  sourceAttribute: string | null;
  /** Items the diagnostic models (metadata from embeddings, leave-one-source-out, remedies) trained on: all, or a seeded sample. */
  diagnosticSample: number;
  /** Rows: sources; `counts[c]` items of class c. */
  classBySource: { source: string; counts: number[] }[];
  /** Class predicted from each attribute alone and from all of them together. */
  classFromMetadata: ClassPrediction[];
  /** Each attribute predicted from the embeddings. */
  metadataFromEmbeddings: AttributePrediction[];
  /** The audit classifier's out-of-fold predictions, split by source. */
  perSource: SourceEvaluation[];
  /** Trained on every other source, tested on this one. */
  leaveOneSourceOut: SourceEvaluation[];
  remedies: Remedy[];
  /** The same, in plain words, most important first. */
  findings: string[];
}

/** A category with fewer items is merged into `other` (it cannot be learned out of fold anyway). */
export const MIN_CATEGORY_ITEMS = 10;
/** A numeric value shared by this share of items (and at least MIN_CATEGORY_ITEMS) keeps its own category (e.g. 224 × 224 squashed images). */
const COMMON_VALUE_SHARE = 0.02;
const NUMERIC_BINS = 5;
/** Attributes with more categories are not predicted from the embeddings (cost grows with categories). */
const MAX_PREDICTED_CATEGORIES = 12;
/** One-vs-rest balanced accuracy from metadata alone at which a class is called "predictable". */
const PREDICTABLE = 0.8;
/** Fewer items of a class in a source are mentioned, not counted as the source holding that class. */
const FEW_ITEMS = 5;
/** Diagnostic models train on a seeded sample of at most this many items. */
const MAX_FIT_ITEMS = 3000;
/** A source evaluated alone needs this many items. */
const MIN_SOURCE_ITEMS = 10;

export async function auditShortcuts(input: ShortcutInput): Promise<ShortcutReport> {
  const { classes, labels } = input;
  const n = labels.length;
  if (input.features.rows !== n || input.probabilities.length !== n || input.groups.length !== n) {
    throw new RangeError(`features, probabilities and groups must have ${n} rows`);
  }
  for (const attribute of input.attributes) {
    for (const column of attribute.columns) {
      if (column.values.length !== n) throw new RangeError(`attribute ${attribute.name} has ${column.values.length} values, expected ${n}`);
    }
  }
  const seed = input.seed ?? 0;
  const k = classes.length;
  const cv = { groups: input.groups, seed };

  const encoded = input.attributes.map((attribute) => ({ name: attribute.name, ...encodeAttribute(attribute) }));
  const useful = encoded.filter((a) => new Set(a.category).size > 1);
  const classFromMetadata: ClassPrediction[] = [];
  const folds = stratifiedGroupKFold(labels, input.groups, 5, seed);
  for (const attribute of useful) {
    classFromMetadata.push(classPrediction(attribute.name, labels, lookupOutOfFold(attribute.category, labels, k, folds), classes));
  }
  if (useful.length > 1) {
    const all = concatColumns(useful.map((a) => a.matrix));
    classFromMetadata.push(classPrediction('all metadata', labels, predictedClasses(await crossValidatedProbabilities(all, labels, k, cv)), classes));
  }
  classFromMetadata.push(classPrediction('embeddings', labels, predictedClasses(input.probabilities), classes));

  // Models fitted only to answer a question (does the embedding know the source?) train on a seeded sample
  // of at most MAX_FIT_ITEMS items: thousands more items would not change the answer, only the time.
  const sample = n > MAX_FIT_ITEMS ? seededSample(n, MAX_FIT_ITEMS, seed) : Array.from({ length: n }, (_, i) => i);
  const metadataFromEmbeddings: AttributePrediction[] = [...(input.metadataFromEmbeddings ?? [])];
  for (const attribute of input.metadataFromEmbeddings ? [] : useful.filter((a) => new Set(a.category).size <= MAX_PREDICTED_CATEGORIES)) {
    const prediction = await predictAttribute(attribute.name, attribute.category, input.features, input.groups, seed, sample);
    if (prediction) metadataFromEmbeddings.push(prediction);
  }

  const sourceName = input.sourceAttribute ?? 'source';
  const source = encoded.find((a) => a.name === sourceName);
  const report: ShortcutReport = {
    sourceAttribute: source ? sourceName : null,
    diagnosticSample: sample.length,
    classBySource: [],
    classFromMetadata,
    metadataFromEmbeddings,
    perSource: [],
    leaveOneSourceOut: [],
    remedies: [],
    findings: [],
  };
  const sampleFeatures = sample.length < n ? selectRows(input.features, sample) : input.features;
  const sampleLabels = sample.map((i) => labels[i]);
  const ungrouped = await crossValidatedProbabilities(sampleFeatures, sampleLabels, k, { seed });
  const grouped = sample.length < n ? await crossValidatedProbabilities(sampleFeatures, sampleLabels, k, { seed, groups: sample.map((i) => input.groups[i]) }) : input.probabilities;
  report.remedies.push({
    name: 'grouped-splits',
    description: 'Folds that keep each patient and each duplicate cluster on one side. The drop from random folds is how much leakage inflated the score.',
    metric: 'out-of-fold balanced accuracy (softmax on embeddings), random folds → grouped folds',
    before: balancedAccuracyOf(sampleLabels, predictedClasses(ungrouped), classes),
    after: balancedAccuracyOf(sampleLabels, predictedClasses(grouped), classes),
  });
  if (source) {
    const sourceOf = source.rawCategory;
    const sources = [...new Set(sourceOf)].sort();
    report.classBySource = sources.map((s) => ({ source: s, counts: classes.map((_, c) => count(labels, (label, i) => label === c && sourceOf[i] === s)) }));
    report.perSource = sources
      .map((s) => indicesWhere(sourceOf, s))
      .filter((rows) => rows.length >= MIN_SOURCE_ITEMS)
      .map((rows) => sourceEvaluation(sourceOf[rows[0]], rows, labels, input.probabilities, classes));
    report.leaveOneSourceOut = leaveOneSourceOut(sources, sourceOf, input.features, labels, classes, sample);
    const weights = sourceBalancedWeights(labels, sourceOf);
    const balanced = leaveOneSourceOut(sources, sourceOf, input.features, labels, classes, sample, weights);
    report.remedies.push({
      name: 'source-balanced-training',
      description: 'Training weights that give every source the same total weight within each class, so no class is learned mostly from one collection.',
      metric: 'mean leave-one-source-out balanced accuracy, plain → source-balanced',
      before: meanOf(report.leaveOneSourceOut.map((e) => e.balancedAccuracy)),
      after: meanOf(balanced.map((e) => e.balancedAccuracy)),
    });
  }
  report.findings = findings(report, classes);
  return report;
}

interface EncodedAttribute {
  /** One-hot columns of the attribute's categories. */
  matrix: FeatureMatrix;
  /** Per item: its category after merging rare ones and binning numbers (what the embeddings must predict). */
  category: string[];
  /** Per item: the value as given (sources are named by it). */
  rawCategory: string[];
}

/** Categories one-hot (rare ones merged into `other`); numbers by common exact values, else quantile bins. */
export function encodeAttribute(attribute: MetadataAttribute): EncodedAttribute {
  const perColumn = attribute.columns.map((column) => (column.kind === 'numeric' ? numericCategories(column.values) : column.values.map((v) => (v === null || v === '' ? 'unknown' : String(v)))));
  const n = perColumn[0]?.length ?? 0;
  const rawCategory = Array.from({ length: n }, (_, i) => perColumn.map((c) => c[i]).join(' × '));
  const merged = perColumn.map((values) => mergeRare(values));
  const category = Array.from({ length: n }, (_, i) => merged.map((c) => c[i]).join(' × '));
  const blocks = merged.map((values) => oneHot(values));
  return { matrix: concatColumns(blocks), category, rawCategory };
}

function numericCategories(values: readonly (string | number | null)[]): string[] {
  const numbers = values.map((v) => (v === null || v === '' ? NaN : Number(v)));
  const known = numbers.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const frequency = new Map<number, number>();
  for (const v of known) frequency.set(v, (frequency.get(v) ?? 0) + 1);
  const common = new Set([...frequency].filter(([, c]) => c >= Math.max(MIN_CATEGORY_ITEMS, COMMON_VALUE_SHARE * values.length)).map(([v]) => v));
  const rest = known.filter((v) => !common.has(v));
  const edges = Array.from({ length: NUMERIC_BINS - 1 }, (_, b) => rest[Math.floor(((b + 1) * rest.length) / NUMERIC_BINS)]).filter((e) => e !== undefined);
  return numbers.map((v) => {
    if (!Number.isFinite(v)) return 'unknown';
    if (common.has(v)) return String(v);
    let bin = 0;
    while (bin < edges.length && v >= edges[bin]) bin++;
    const low = bin === 0 ? rest[0] : edges[bin - 1];
    const high = bin === edges.length ? rest[rest.length - 1] : edges[bin];
    return `${low}-${high}`;
  });
}

function mergeRare(values: readonly string[]): string[] {
  const frequency = new Map<string, number>();
  for (const v of values) frequency.set(v, (frequency.get(v) ?? 0) + 1);
  return values.map((v) => (frequency.get(v)! >= MIN_CATEGORY_ITEMS ? v : 'other'));
}

function oneHot(values: readonly string[]): FeatureMatrix {
  const names = [...new Set(values)].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const data = new Float64Array(values.length * names.length);
  values.forEach((v, i) => (data[i * names.length + index.get(v)!] = 1));
  return { data, rows: values.length, cols: names.length };
}

function concatColumns(blocks: readonly FeatureMatrix[]): FeatureMatrix {
  const rows = blocks[0].rows;
  const cols = blocks.reduce((sum, b) => sum + b.cols, 0);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let offset = 0;
    for (const block of blocks) {
      for (let c = 0; c < block.cols; c++) data[i * cols + offset + c] = block.data[i * block.cols + c];
      offset += block.cols;
    }
  }
  return { data, rows, cols };
}

async function predictAttribute(
  name: string,
  category: readonly string[],
  features: FeatureMatrix,
  groups: readonly GroupId[],
  seed: number,
  sample: readonly number[],
): Promise<AttributePrediction | null> {
  const names = [...new Set(sample.map((i) => category[i]))].filter((c) => c !== 'other' && c !== 'unknown').sort();
  if (names.length < 2) return null;
  const rows = sample.filter((i) => names.includes(category[i]));
  const labels = rows.map((i) => names.indexOf(category[i]));
  const subset = selectRows(features, rows);
  const probs = await crossValidatedProbabilities(subset, labels, names.length, { groups: rows.map((i) => groups[i]), seed });
  return { attribute: name, categories: names, items: rows.length, balancedAccuracy: balancedAccuracyOf(labels, predictedClasses(probs), names), chance: 1 / names.length };
}

/**
 * Out-of-fold class of each item from its category alone: the most frequent class of that category in the
 * other folds (the best any model of this one attribute can do); an unseen category gets the commonest class.
 */
function lookupOutOfFold(category: readonly string[], labels: readonly number[], k: number, folds: readonly (readonly number[])[]): number[] {
  const predicted = new Array<number>(labels.length).fill(0);
  const foldOf = new Int32Array(labels.length);
  folds.forEach((fold, f) => fold.forEach((i) => (foldOf[i] = f)));
  folds.forEach((fold, f) => {
    const counts = new Map<string, number[]>();
    const overall = new Array<number>(k).fill(0);
    labels.forEach((label, i) => {
      if (foldOf[i] === f) return;
      const row = counts.get(category[i]) ?? new Array<number>(k).fill(0);
      row[label]++;
      counts.set(category[i], row);
      overall[label]++;
    });
    for (const i of fold) predicted[i] = argmax(counts.get(category[i]) ?? overall);
  });
  return predicted;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j] > values[best]) best = j;
  return best;
}

function classPrediction(from: string, labels: readonly number[], predicted: readonly number[], classes: readonly string[]): ClassPrediction {
  const metrics = classificationMetrics(labels, predicted, classes);
  return {
    from,
    balancedAccuracy: orNull(metrics.balancedAccuracy),
    chance: 1 / classes.length,
    perClass: metrics.perClass.map((m) => ({
      class: m.class,
      balancedAccuracy: orNull((m.sensitivity + m.specificity) / 2),
      sensitivity: orNull(m.sensitivity),
    })),
  };
}

function sourceEvaluation(
  source: string,
  rows: readonly number[],
  labels: readonly number[],
  probabilities: readonly (readonly number[])[],
  classes: readonly string[],
): SourceEvaluation {
  const truth = rows.map((i) => labels[i]);
  const metrics = classificationMetrics(truth, predictedClasses(rows.map((i) => probabilities[i])), classes);
  return {
    source,
    items: rows.length,
    counts: classes.map((_, c) => count(truth, (label) => label === c)),
    accuracy: orNull(metrics.accuracy),
    balancedAccuracy: orNull(metrics.balancedAccuracy),
    sensitivity: metrics.perClass.map((m) => orNull(m.sensitivity)),
  };
}

function leaveOneSourceOut(
  sources: readonly string[],
  sourceOf: readonly string[],
  features: FeatureMatrix,
  labels: readonly number[],
  classes: readonly string[],
  trainable: readonly number[],
  sampleWeights?: readonly number[],
): SourceEvaluation[] {
  const out: SourceEvaluation[] = [];
  for (const s of sources) {
    const test = indicesWhere(sourceOf, s);
    const train = trainable.filter((i) => sourceOf[i] !== s);
    if (test.length < MIN_SOURCE_ITEMS || new Set(train.map((i) => labels[i])).size < 2) continue;
    const model = fitSoftmax(features, train, labels, classes.length, { sampleWeights });
    const probs = predictSoftmax(model, features, test);
    const rowsProbabilities: number[][] = new Array<number[]>(labels.length);
    test.forEach((i, r) => (rowsProbabilities[i] = probs[r]));
    out.push(sourceEvaluation(s, test, labels, rowsProbabilities, classes));
  }
  return out;
}

/** Weight 1 / (items of this class and source), scaled so each class keeps its total weight. */
function sourceBalancedWeights(labels: readonly number[], sourceOf: readonly string[]): number[] {
  const cell = new Map<string, number>();
  const sourcesOfClass = new Map<number, Set<string>>();
  labels.forEach((label, i) => {
    const key = `${label}\0${sourceOf[i]}`;
    cell.set(key, (cell.get(key) ?? 0) + 1);
    sourcesOfClass.set(label, (sourcesOfClass.get(label) ?? new Set()).add(sourceOf[i]));
  });
  const classCount = new Map<number, number>();
  for (const label of labels) classCount.set(label, (classCount.get(label) ?? 0) + 1);
  return labels.map((label, i) => classCount.get(label)! / (sourcesOfClass.get(label)!.size * cell.get(`${label}\0${sourceOf[i]}`)!));
}

function findings(report: ShortcutReport, classes: readonly string[]): string[] {
  const out: string[] = [];
  const percent = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
  for (const prediction of report.classFromMetadata) {
    if (prediction.from === 'embeddings' || prediction.from === 'all metadata') continue;
    if (classes.length === 2) {
      // With two classes, "A is predictable" and "B is predictable" are the same statement.
      const value = prediction.balancedAccuracy;
      if (value !== null && value >= PREDICTABLE) out.push(`${classes[0]} and ${classes[1]} are told apart by ${prediction.from} alone: ${percent(value)} (balanced accuracy, out of fold).`);
      continue;
    }
    for (const c of prediction.perClass) {
      if (c.balancedAccuracy !== null && c.balancedAccuracy >= PREDICTABLE) {
        out.push(`${c.class} is predictable from ${prediction.from} alone: ${percent(c.balancedAccuracy)} (one-vs-rest balanced accuracy, out of fold).`);
      }
    }
  }
  const all = report.classFromMetadata.find((p) => p.from === 'all metadata');
  const embeddings = report.classFromMetadata.find((p) => p.from === 'embeddings');
  if (all && embeddings && all.balancedAccuracy !== null) {
    out.push(`Metadata alone gives ${percent(all.balancedAccuracy)} balanced accuracy over ${classes.length} classes (chance ${percent(all.chance)}); the image classifier gives ${percent(embeddings.balancedAccuracy)}.`);
  }
  for (const p of report.metadataFromEmbeddings) {
    if (p.balancedAccuracy !== null && p.balancedAccuracy >= Math.max(PREDICTABLE, p.chance + 0.3)) {
      out.push(`The embeddings reveal ${p.attribute}: ${percent(p.balancedAccuracy)} balanced accuracy over ${p.categories.length} values (chance ${percent(p.chance)}).`);
    }
  }
  for (const row of report.classBySource) {
    const main = classes.filter((_, c) => row.counts[c] >= FEW_ITEMS);
    const few = classes.flatMap((name, c) => (row.counts[c] > 0 && row.counts[c] < FEW_ITEMS ? [`${row.counts[c]} ${name}`] : []));
    if (main.length < classes.length && main.length > 0) out.push(`Source ${row.source} holds only ${main.join(', ')}${few.length ? ` (and ${few.join(', ')})` : ''}.`);
  }
  const overall = embeddings?.balancedAccuracy ?? null;
  for (const e of report.perSource) {
    const present = classes.filter((_, c) => e.counts[c] >= FEW_ITEMS);
    // A source of one class has no balanced accuracy of its own: its accuracy is that class's sensitivity.
    const value = present.length <= 1 ? e.accuracy : e.balancedAccuracy;
    if (overall === null || value === null || value >= overall - 0.1) continue;
    out.push(
      present.length <= 1
        ? `In ${e.source} (${present[0] ?? 'few items per class'}${present.length === 1 && e.items > e.counts[classes.indexOf(present[0])] ? ' mostly' : ' only'}) the classifier gets ${percent(value)} right, against ${percent(overall)} balanced accuracy overall.`
        : `Within ${e.source} (${present.join(', ')}) the classifier reaches ${percent(value)} balanced accuracy, against ${percent(overall)} overall: where the source does not give the class away, it tells the classes apart less well.`,
    );
  }
  for (const e of report.leaveOneSourceOut) {
    out.push(`Trained without ${e.source}, the classifier gets ${percent(e.accuracy)} of its ${e.items} images right (${classes.map((c, i) => (e.counts[i] > 0 ? `${c} ${percent(e.sensitivity[i])}` : null)).filter(Boolean).join(', ')}).`);
  }
  for (const r of report.remedies) out.push(`${r.name}: ${r.metric}: ${percent(r.before)} → ${percent(r.after)}.`);
  return out;
}

/** Balanced accuracy of predicted class indices; null where undefined (JSON has no NaN). */
export function balancedAccuracyOf(labels: readonly number[], predicted: readonly number[], classes: readonly string[]): number | null {
  return orNull(classificationMetrics(labels, predicted, classes).balancedAccuracy);
}

/** `count` distinct indices of 0..n-1, seeded, ascending. */
function seededSample(n: number, count: number, seed: number): number[] {
  return shuffled(Array.from({ length: n }, (_, i) => i), seededRandom(seed)).slice(0, count).sort((a, b) => a - b);
}

function indicesWhere(values: readonly string[], value: string): number[] {
  return values.flatMap((v, i) => (v === value ? [i] : []));
}

function count<T>(values: readonly T[], predicate: (value: T, i: number) => boolean): number {
  return values.reduce((sum, v, i) => sum + (predicate(v, i) ? 1 : 0), 0);
}

function meanOf(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

function orNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
