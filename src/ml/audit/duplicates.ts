/**
 * Duplicate clusters (exact by content hash, near by perceptual hash and embedding cosine) and the leakage
 * they cause: one picture on both sides of a split, under two labels, or under two patient ids.
 */
import { HASH_BITS, hashWords, hammingWords } from './perceptualHash';
import type { SimilarPair } from './neighbours';

/**
 * Near-duplicate by perceptual hash: at most this many of the 256 dHash bits differ. Resized (50-90 %) and
 * re-encoded (JPEG q70) copies of 30 cxr images differed by at most 13 bits; distinct films of the same
 * patient, the closest unrelated pairs, by 15 or more.
 */
export const MAX_DHASH_DISTANCE = 13;
/** ...and the embeddings must still agree this much (re-encoded copies of cxr: ≥ 0.63; a guard, not a test). */
export const MIN_COSINE_WITH_DHASH = 0.5;
/**
 * Near-duplicate by embedding alone: cosine of the mean-centred backbone features. On cxr, pairs at or above
 * it are the same figure in two collections (cxnet and ieee8023), re-saved or recropped; distinct images
 * of one patient stay below 0.9.
 */
export const MIN_COSINE = 0.95;

export type DuplicateReason = 'content' | 'dhash' | 'embedding';

export interface DuplicateEvidence {
  a: number;
  b: number;
  reason: DuplicateReason;
  hammingDistance?: number;
  cosine?: number;
}

export interface DuplicateCluster {
  /** Stable within one audit: `dup-<smallest member index>`. */
  id: string;
  /** Item indices, ascending. */
  members: number[];
  /** `exact` when every member has the same content hash. */
  kind: 'exact' | 'near';
  /** The pairs that joined the cluster (a spanning set, not every pair). */
  evidence: DuplicateEvidence[];
}

export interface DuplicateInput {
  /** Content hash per item (null when unknown). */
  hashes: readonly (string | null)[];
  /** dHash per item (null when the image could not be read). */
  dhashes?: readonly (string | null)[];
  /** Full-space cosine of a pair, to check dHash matches; absent when there are no embeddings. */
  cosine?: (a: number, b: number) => number;
  /** Pairs at or above {@link MIN_COSINE} (from `searchNeighbours`). */
  similarPairs?: readonly SimilarPair[];
}

export function findDuplicates(input: DuplicateInput): DuplicateCluster[] {
  const n = input.hashes.length;
  if (input.dhashes && input.dhashes.length !== n) throw new RangeError(`dhashes has ${input.dhashes.length} entries, hashes ${n}`);
  const sets = new UnionFind(n);
  const evidence: DuplicateEvidence[] = [];
  const join = (e: DuplicateEvidence): void => {
    if (sets.union(e.a, e.b)) evidence.push(e);
  };

  const byHash = new Map<string, number>();
  input.hashes.forEach((hash, i) => {
    if (!hash) return;
    const first = byHash.get(hash);
    if (first === undefined) byHash.set(hash, i);
    else join({ a: first, b: i, reason: 'content' });
  });
  for (const pair of input.similarPairs ?? []) {
    if (pair.cosine >= MIN_COSINE) join({ a: pair.a, b: pair.b, reason: 'embedding', cosine: pair.cosine });
  }
  if (input.dhashes) {
    const present = input.dhashes;
    const wordsPerHash = HASH_BITS / 32;
    const words = hashWords(present, wordsPerHash);
    for (let a = 0; a < n; a++) {
      if (!present[a]) continue;
      for (let b = a + 1; b < n; b++) {
        if (!present[b]) continue;
        const distance = hammingWords(words, a, words, b, wordsPerHash);
        if (distance > MAX_DHASH_DISTANCE || sets.find(a) === sets.find(b)) continue;
        const cosine = input.cosine?.(a, b);
        if (cosine !== undefined && cosine < MIN_COSINE_WITH_DHASH) continue;
        join({ a, b, reason: 'dhash', hammingDistance: distance, ...(cosine !== undefined ? { cosine } : {}) });
      }
    }
  }

  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    members.set(root, [...(members.get(root) ?? []), i]);
  }
  const clusters: DuplicateCluster[] = [];
  for (const list of members.values()) {
    if (list.length < 2) continue;
    const root = sets.find(list[0]);
    const hash = input.hashes[list[0]];
    clusters.push({
      id: `dup-${list[0]}`,
      members: list,
      kind: hash && list.every((i) => input.hashes[i] === hash) ? 'exact' : 'near',
      evidence: evidence.filter((e) => sets.find(e.a) === root),
    });
  }
  return clusters.sort((x, y) => x.members[0] - y.members[0]);
}

export interface LeakageInput {
  /** Class index (or -1 when unlabelled) per item. */
  labels: readonly number[];
  classes: readonly string[];
  /** Patient id per item, or null. */
  patients: readonly (string | null)[];
  /** Split name per item (manifest `split` column), or null when none is known. */
  splits: readonly (string | null)[];
}

export interface ClusterLeak {
  cluster: string;
  members: number[];
  /** The distinct values across the members (only the kinds that differ are reported). */
  splits?: string[];
  classes?: string[];
  patients?: string[];
}

export interface Leakage {
  /** Duplicate clusters with members on more than one side of the split. */
  acrossSplits: ClusterLeak[];
  /** Duplicate clusters whose members carry different labels: at least one label is wrong. */
  acrossClasses: ClusterLeak[];
  /** Duplicate clusters under more than one patient id: the ids do not keep the picture on one side. */
  acrossPatients: ClusterLeak[];
  /** Patient ids with images on more than one side of the split. */
  patientsAcrossSplits: { patient: string; splits: string[]; members: number[] }[];
}

export function findLeakage(clusters: readonly DuplicateCluster[], input: LeakageInput): Leakage {
  const distinct = (values: (string | null)[]): string[] => [...new Set(values.filter((v): v is string => v !== null))].sort();
  const acrossSplits: ClusterLeak[] = [];
  const acrossClasses: ClusterLeak[] = [];
  const acrossPatients: ClusterLeak[] = [];
  for (const cluster of clusters) {
    const splits = distinct(cluster.members.map((i) => input.splits[i]));
    const classes = distinct(cluster.members.map((i) => (input.labels[i] >= 0 ? input.classes[input.labels[i]] : null)));
    const patients = distinct(cluster.members.map((i) => input.patients[i]));
    const leak = { cluster: cluster.id, members: cluster.members };
    if (splits.length > 1) acrossSplits.push({ ...leak, splits });
    if (classes.length > 1) acrossClasses.push({ ...leak, classes });
    if (patients.length > 1) acrossPatients.push({ ...leak, patients });
  }
  const byPatient = new Map<string, number[]>();
  input.patients.forEach((patient, i) => {
    if (patient !== null && input.splits[i] !== null) byPatient.set(patient, [...(byPatient.get(patient) ?? []), i]);
  });
  const patientsAcrossSplits = [...byPatient.entries()]
    .map(([patient, members]) => ({ patient, splits: distinct(members.map((i) => input.splits[i])), members }))
    .filter((entry) => entry.splits.length > 1);
  return { acrossSplits, acrossClasses, acrossPatients, patientsAcrossSplits };
}

/**
 * The group of every item for splitting: items that share a patient id or a duplicate cluster get one group,
 * so no picture and no patient can be on two sides. Patient ids listed in `ignorePatients` (implausibly
 * large groups) do not join items.
 */
export function suggestedGroups(
  clusters: readonly DuplicateCluster[],
  patients: readonly (string | null)[],
  ignorePatients: ReadonlySet<string> = new Set(),
): string[] {
  const n = patients.length;
  const sets = new UnionFind(n);
  const firstOfPatient = new Map<string, number>();
  patients.forEach((patient, i) => {
    if (patient === null || ignorePatients.has(patient)) return;
    const first = firstOfPatient.get(patient);
    if (first === undefined) firstOfPatient.set(patient, i);
    else sets.union(first, i);
  });
  for (const cluster of clusters) for (const i of cluster.members) sets.union(cluster.members[0], i);
  const names = new Map<number, string>();
  return patients.map((_, i) => {
    const root = sets.find(i);
    const name = names.get(root) ?? `g${names.size}`;
    names.set(root, name);
    return name;
  });
}

class UnionFind {
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[i] !== root) {
      const next = this.parent[i];
      this.parent[i] = root;
      i = next;
    }
    return root;
  }

  /** Joins the sets of a and b; false when they were already one. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // The smaller index becomes the root, so cluster ids do not depend on the order of joins.
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}
