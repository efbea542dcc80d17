/**
 * The data audit: label issues, duplicates and leakage, and source shortcuts, from cached embeddings and
 * per-image fingerprints, as one JSON-serialisable report (what `xray-curator audit --out` writes).
 */
import { findDuplicates, findLeakage, MAX_DHASH_DISTANCE, MIN_COSINE, suggestedGroups, type DuplicateReason } from './duplicates';
import { predictedClasses } from '../metrics';
import { findLabelIssues } from './labelIssues';
import { issueEvidence, type IssueKind } from './issueEvidence';
import { checkMatrix, principalComponents, selectRows, type FeatureMatrix, type Projection } from './matrix';
import { fullCosine, knnProbabilities, searchNeighbours } from './neighbours';
import type { ImageFingerprint } from './perceptualHash';
import { auditShortcuts, balancedAccuracyOf, type MetadataAttribute, type ShortcutReport } from './shortcuts';
import { crossValidatedProbabilities } from './softmaxRegression';
import { withoutOversizedGroups, type GroupId } from '../splits';
import type { Findings } from '../../dataset/multilabel/types';
import { resolveMultiLabelConfig, type MultiLabelTrainConfig } from '../multilabel/config';
import { findFindingIssues, type FindingIssuesSection } from '../multilabel/findingIssues';
import type { NeighbourSearch } from './neighbours';

export { findLabelIssues, type ConfidentLearningResult, type LabelIssue } from './labelIssues';
export { evidenceText, issueEvidence, type IssueEvidence, type IssueKind } from './issueEvidence';
export { crossValidatedProbabilities, fitSoftmax, predictSoftmax, type SoftmaxModel, type SoftmaxOptions } from './softmaxRegression';
export { principalComponents, type FeatureMatrix, type Projection } from './matrix';
export { findDuplicates, findLeakage, suggestedGroups, MAX_DHASH_DISTANCE, MIN_COSINE, type DuplicateCluster } from './duplicates';
export { dHashFromGrey, hammingDistance, readFingerprint, type ImageFingerprint } from './perceptualHash';
export { FINGERPRINT_CACHE_FILE, fingerprintsOf, type FingerprintItem } from './fingerprints';
export { auditShortcuts, encodeAttribute, type MetadataAttribute, type ShortcutReport } from './shortcuts';

/**
 * Version of the audit report format: 2 added `findingIssues` (multi-label datasets, where `labelIssues` is null);
 * 3 added each label issue's `kind` and `evidence`, and orders the issues by kind; 4 added `findingShortcuts`.
 */
export const AUDIT_REPORT_VERSION = 4;

/** The item fields the audit reads (a `DatasetItem` has them all). */
export interface AuditItem {
  id: string;
  /** Effective label, or null when unlabelled (then only duplicates and leakage look at it). */
  label: string | null;
  /** Content hash (sha256 hex), or null. */
  hash: string | null;
  /** Manifest columns (source, patient_id, view, split, ...). */
  metadata: Record<string, string>;
  /** Multi-label datasets: the state of every finding (then `label` is null). */
  findings?: Findings;
  format?: string;
  width?: number;
  height?: number;
}

export interface AuditInput {
  /** Dataset root (or list), recorded in the report. */
  dataset: string;
  classes: readonly string[];
  items: readonly AuditItem[];
  /** Embeddings, row i for item i. */
  features: FeatureMatrix;
  /** Per item, from `readFingerprint` (null when the image could not be read); omit to skip perceptual hashes. */
  fingerprints?: readonly (ImageFingerprint | null)[];
  /** A multi-label dataset: label issues are found per finding (`classes` is then empty). */
  multiLabel?: { findings: readonly string[]; config?: Partial<Pick<MultiLabelTrainConfig, 'unmentioned' | 'minPositives'>> };
  options?: AuditOptions;
}

export interface AuditOptions {
  /** Default 0. */
  seed?: number;
  /** Cross-validation folds. Default 5. */
  folds?: number;
  /** Principal components the classifiers and the neighbour search work in. Default 64. */
  components?: number;
  /** Neighbours of the k-NN half of the label-issue probabilities. Default 10. */
  neighbours?: number;
}

export interface AuditReport {
  version: typeof AUDIT_REPORT_VERSION;
  dataset: string;
  classes: string[];
  items: number;
  /** Single-label datasets; null for a multi-label one. */
  labelIssues: LabelIssuesSection | null;
  /** Multi-label datasets: confident learning per finding; absent for a single-label one. */
  findingIssues?: FindingIssuesSection;
  duplicates: DuplicatesSection;
  leakage: LeakageSection;
  shortcuts: ShortcutReport | null;
  /** Multi-label datasets: the source-shortcut audit of each checked finding, positive against not. */
  findingShortcuts?: { finding: string; shortcuts: ShortcutReport }[];
  warnings: string[];
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

export interface LabelIssuesSection {
  method: string;
  /** t_j per class, in `classes` order. */
  thresholds: number[];
  /** Rows: given label, columns: confident true label. */
  confidentJoint: number[][];
  /** P(given = row | true = column). */
  noiseMatrix: number[][];
  /** Ranked: the issues whose label looks wrong, then those where the model is weak; each kind lowest self-confidence first. */
  issues: LabelIssueEntry[];
  /** Issue score (1 − probability of the given label) of every labelled item, by id. */
  scores: Record<string, number>;
  /** Out-of-fold balanced accuracy of the probabilities used (how much to trust the ranking). */
  balancedAccuracy: number | null;
}

export interface LabelIssueEntry {
  id: string;
  givenLabel: string;
  suggestedLabel: string;
  score: number;
  selfConfidence: number;
  margin: number;
  /** `label`: most of its nearest images carry another class; `model`: they share its label, only the classifier objects. */
  kind: IssueKind;
  /** The vote of its nearest labelled images: how many, and how many carry the given and the suggested label. */
  evidence: { neighbours: number; sameLabel: number; suggestedLabel: number };
}

export interface DuplicatesSection {
  thresholds: { maxDhashDistance: number; minCosine: number };
  clusters: {
    id: string;
    kind: 'exact' | 'near';
    members: string[];
    evidence: { a: string; b: string; reason: DuplicateReason; hammingDistance?: number; cosine?: number }[];
  }[];
}

export interface LeakageSection {
  splitColumn: string | null;
  acrossSplits: { cluster: string; members: string[]; splits: string[] }[];
  acrossClasses: { cluster: string; members: string[]; classes: string[] }[];
  acrossPatients: { cluster: string; members: string[]; patients: string[] }[];
  patientsAcrossSplits: { patient: string; splits: string[]; members: string[] }[];
  /** Groups to split by (patients joined with duplicate clusters); only groups of two or more items. */
  suggestedGroups: { group: string; members: string[] }[];
  /** Patient ids not used as groups because they hold implausibly many items (a parsing artefact). */
  ignoredPatientIds: { patient: string; items: number }[];
}

/** Manifest columns that are identifiers, the label itself, or a refinement of it: never shortcut candidates. */
const NOT_METADATA = new Set(['path', 'label', 'patient_id', 'sha256', 'split', 'subtype', 'orig_width', 'orig_height']);
/** A manifest column with more distinct values than this is an identifier, not a category. */
const MAX_CATEGORIES = 50;

export async function runAudit(input: AuditInput): Promise<AuditReport> {
  const { items, classes, features } = input;
  const n = items.length;
  checkMatrix('features', features);
  if (features.rows !== n) throw new RangeError(`features has ${features.rows} rows for ${n} items`);
  if (input.fingerprints && input.fingerprints.length !== n) throw new RangeError(`fingerprints has ${input.fingerprints.length} entries for ${n} items`);
  if (!input.multiLabel && classes.length < 2) throw new RangeError(`the audit needs at least 2 classes, got ${classes.length}`);
  const seed = input.options?.seed ?? 0;
  const folds = input.options?.folds ?? 5;
  const warnings: string[] = [];
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[name] = Math.round(performance.now() - start);
    return result;
  };

  const labels = items.map((item) => (item.label === null ? -1 : classes.indexOf(item.label)));
  labels.forEach((label, i) => {
    if (label < 0 && items[i].label !== null) throw new RangeError(`item ${items[i].id} has label ${items[i].label}, not one of ${classes.join(', ')}`);
  });
  const projection = await timed('projection', () => principalComponents(features, input.options?.components ?? 64, seed));
  const search = await timed('neighbours', () => searchNeighbours(features, projection, input.options?.neighbours ?? 10, MIN_COSINE));

  const clusters = await timed('duplicates', () =>
    findDuplicates({
      hashes: items.map((item) => item.hash),
      dhashes: input.fingerprints?.map((f) => f?.dhash ?? null),
      cosine: (a, b) => fullCosine(features, projection, a, b),
      similarPairs: search.pairs,
    }),
  );
  const patients = items.map((item) => item.metadata.patient_id || null);
  const oversized = withoutOversizedGroups(patients, folds).dropped;
  for (const [patient, count] of oversized) {
    warnings.push(`patient_id "${patient}" holds ${count} items: too many for one patient, so it is not used to group splits.`);
  }
  const groups = suggestedGroups(clusters, patients, new Set(oversized.keys()));
  const splitColumn = items.some((item) => item.metadata.split) ? 'split' : null;
  const leakage = findLeakage(clusters, { labels, classes, patients, splits: items.map((item) => item.metadata.split || null) });

  const context: IssueContext = { input, labels, projection, search, groups, folds, seed, warnings, timed };
  const { labelIssues, shortcuts, findingIssues, findingShortcuts, shortcutMs } = input.multiLabel ? await perFindingIssues(context, input.multiLabel) : await perClassIssues(context);
  if (shortcutMs !== undefined) {
    timings.shortcuts = Math.round(shortcutMs);
    timings.labelIssues -= timings.shortcuts;
  }
  const id = (i: number): string => items[i].id;
  const ids = (list: readonly number[]): string[] => list.map(id);
  const groupMembers = new Map<string, number[]>();
  groups.forEach((group, i) => groupMembers.set(group, [...(groupMembers.get(group) ?? []), i]));

  return {
    version: AUDIT_REPORT_VERSION,
    dataset: input.dataset,
    classes: [...classes],
    items: n,
    labelIssues,
    ...(findingIssues ? { findingIssues } : {}),
    ...(findingShortcuts ? { findingShortcuts } : {}),
    duplicates: {
      thresholds: { maxDhashDistance: MAX_DHASH_DISTANCE, minCosine: MIN_COSINE },
      clusters: clusters.map((c) => ({
        id: c.id,
        kind: c.kind,
        members: ids(c.members),
        evidence: c.evidence.map((e) => ({ ...e, a: id(e.a), b: id(e.b) })),
      })),
    },
    leakage: {
      splitColumn,
      acrossSplits: leakage.acrossSplits.map((l) => ({ cluster: l.cluster, members: ids(l.members), splits: l.splits ?? [] })),
      acrossClasses: leakage.acrossClasses.map((l) => ({ cluster: l.cluster, members: ids(l.members), classes: l.classes ?? [] })),
      acrossPatients: leakage.acrossPatients.map((l) => ({ cluster: l.cluster, members: ids(l.members), patients: l.patients ?? [] })),
      patientsAcrossSplits: leakage.patientsAcrossSplits.map((l) => ({ ...l, members: ids(l.members) })),
      suggestedGroups: [...groupMembers].filter(([, m]) => m.length > 1).map(([group, m]) => ({ group, members: ids(m) })),
      ignoredPatientIds: [...oversized].map(([patient, count]) => ({ patient, items: count })),
    },
    shortcuts,
    warnings,
    timings,
  };
}

interface IssueContext {
  input: AuditInput;
  labels: number[];
  projection: Projection;
  search: NeighbourSearch;
  groups: GroupId[];
  folds: number;
  seed: number;
  warnings: string[];
  timed: <T>(name: string, work: () => T | Promise<T>) => Promise<T>;
}

interface IssueSections {
  labelIssues: LabelIssuesSection | null;
  shortcuts: ShortcutReport | null;
  findingIssues?: FindingIssuesSection;
  findingShortcuts?: { finding: string; shortcuts: ShortcutReport }[];
  /** Multi-label: the part of the label-issue stage spent on the shortcut audits. */
  shortcutMs?: number;
}

/** Label issues over the classes, and the source-shortcut audit that reuses their out-of-fold probabilities. */
async function perClassIssues({ input, labels, projection, search, groups, folds, seed, warnings, timed }: IssueContext): Promise<IssueSections> {
  const { items, classes } = input;
  const n = items.length;
  const labelled = labels.flatMap((label, i) => (label >= 0 ? [i] : []));
  if (labelled.length < n) warnings.push(`${n - labelled.length} unlabelled items are only checked for duplicates.`);
  const labelledClasses = new Set(labelled.map((i) => labels[i]));
  if (labelledClasses.size < 2) throw new RangeError('the audit needs labelled items of at least 2 classes');
  const y = labelled.map((i) => labels[i]);
  const x = selectRows(projection.scores, labelled);
  const g = labelled.map((i) => groups[i]);

  const { softmax, probabilities, confident } = await timed('labelIssues', async () => {
    const softmax = await crossValidatedProbabilities(x, y, classes.length, { groups: g, folds, seed });
    // Softmax and k-NN err differently: their average ranked flipped cxr labels better than either alone
    // (recall in the top 2×, 5 seeds: 0.82 softmax, 0.81 k-NN, 0.85 both).
    const knn = knnProbabilities(search, labels, classes.length);
    const probabilities = softmax.map((row, r) => row.map((p, c) => (p + knn[labelled[r]][c]) / 2));
    return { softmax, probabilities, confident: findLabelIssues(probabilities, y) };
  });

  const attributes = metadataAttributes(labelled.map((i) => items[i]), input.fingerprints && labelled.map((i) => input.fingerprints![i]));
  const shortcuts = await timed('shortcuts', () =>
    auditShortcuts({ classes, labels: y, attributes, features: x, probabilities: softmax, groups: g, seed }),
  );
  const id = (i: number): string => items[i].id;
  return {
    labelIssues: {
      method: 'confident learning (prune by noise rate) on out-of-fold probabilities: mean of softmax regression (grouped k-fold) and leave-one-out k-NN on the embeddings',
      thresholds: confident.thresholds,
      confidentJoint: confident.confidentJoint,
      noiseMatrix: confident.noiseMatrix,
      issues: confident.issues
        .map((issue): LabelIssueEntry => {
          const { kind, ...evidence } = issueEvidence(search, labels, labelled[issue.index], issue.givenLabel, issue.suggestedLabel);
          return {
            id: id(labelled[issue.index]),
            givenLabel: classes[issue.givenLabel],
            suggestedLabel: classes[issue.suggestedLabel],
            score: 1 - issue.selfConfidence,
            selfConfidence: issue.selfConfidence,
            margin: issue.margin,
            kind,
            evidence,
          };
        })
        // A stable sort: within a kind, the self-confidence order of confident learning stays.
        .sort((a, b) => Number(a.kind === 'model') - Number(b.kind === 'model')),
      scores: Object.fromEntries(labelled.map((i, r) => [id(i), confident.scores[r]])),
      balancedAccuracy: balancedAccuracyOf(y, predictedClasses(probabilities), classes),
    },
    shortcuts,
  };
}

/**
 * Label issues per finding of a multi-label dataset, and the source-shortcut audit of each checked finding (positive
 * against not) on the same out-of-fold probabilities.
 */
async function perFindingIssues({ input, projection, search, groups, folds, seed, warnings, timed }: IssueContext, multiLabel: NonNullable<AuditInput['multiLabel']>): Promise<IssueSections> {
  const { items } = input;
  const config = resolveMultiLabelConfig(multiLabel.config);
  const attributes = metadataAttributes(items, input.fingerprints);
  const findingShortcuts: { finding: string; shortcuts: ShortcutReport }[] = [];
  let shortcutMs = 0;
  const auditFinding = async (finding: string, rows: readonly number[], y: readonly number[], softmax: readonly (readonly number[])[]): Promise<void> => {
    if (attributes.length === 0) return;
    const started = performance.now();
    const shortcuts = await auditShortcuts({
      classes: [`no ${finding}`, finding],
      labels: y,
      attributes: attributes.map((a) => ({ name: a.name, columns: a.columns.map((c) => ({ kind: c.kind, values: rows.map((i) => c.values[i]) })) })),
      features: selectRows(projection.scores, rows),
      probabilities: softmax,
      groups: rows.map((i) => groups[i]),
      seed,
      // What the embeddings reveal does not depend on the finding: found once.
      ...(findingShortcuts.length ? { metadataFromEmbeddings: findingShortcuts[0].shortcuts.metadataFromEmbeddings } : {}),
    });
    findingShortcuts.push({ finding, shortcuts });
    shortcutMs += performance.now() - started;
  };
  const findingIssues = await timed('labelIssues', () =>
    findFindingIssues({
      ids: items.map((item) => item.id),
      findings: multiLabel.findings,
      states: items.map((item) => item.findings ?? {}),
      x: projection.scores,
      search,
      groups,
      config,
      folds,
      seed,
      onChecked: auditFinding,
    }),
  );
  for (const left of findingIssues.leftOut) {
    warnings.push(`${left.finding}: not checked for label issues (${left.positives} positive, ${left.negatives} negative labels; each side needs ${Math.max(config.minPositives, folds)}).`);
  }
  return { labelIssues: null, shortcuts: null, findingIssues, ...(findingShortcuts.length ? { findingShortcuts, shortcutMs } : {}) };
}

/** The metadata the shortcut audit tries: manifest categories, image size, original size, format, channels, depth. */
export function metadataAttributes(items: readonly AuditItem[], fingerprints?: readonly (ImageFingerprint | null)[]): MetadataAttribute[] {
  const attributes: MetadataAttribute[] = [];
  // `source` first: where findings tie (a licence or view column that only restates the source), the source is named.
  const columns = [...new Set(items.flatMap((item) => Object.keys(item.metadata)))].sort((a, b) => Number(b === 'source') - Number(a === 'source') || a.localeCompare(b));
  for (const column of columns) {
    if (NOT_METADATA.has(column)) continue;
    const values = items.map((item) => item.metadata[column] ?? null);
    const distinct = new Set(values).size;
    if (distinct < 2 || distinct > MAX_CATEGORIES) continue;
    attributes.push({ name: column, columns: [{ kind: 'categorical', values }] });
  }
  const numeric = (values: (number | string | null | undefined)[]): { kind: 'numeric'; values: (number | string | null)[] } => ({
    kind: 'numeric',
    values: values.map((v) => v ?? null),
  });
  attributes.push({ name: 'image size', columns: [numeric(items.map((i) => i.width)), numeric(items.map((i) => i.height))] });
  if (items.some((i) => i.metadata.orig_width)) {
    attributes.push({ name: 'original size', columns: [numeric(items.map((i) => i.metadata.orig_width)), numeric(items.map((i) => i.metadata.orig_height))] });
  }
  attributes.push({ name: 'file format', columns: [{ kind: 'categorical', values: items.map((i) => i.format ?? null) }] });
  if (fingerprints) {
    attributes.push({ name: 'colour channels', columns: [{ kind: 'categorical', values: fingerprints.map((f) => (f ? String(f.channels) : null)) }] });
    attributes.push({ name: 'bit depth', columns: [{ kind: 'categorical', values: fingerprints.map((f) => (f ? String(f.bitDepth) : null)) }] });
  }
  return attributes;
}
