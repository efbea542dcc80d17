// The data audit (label issues, duplicates and leakage, source shortcuts) on cached embeddings:
// its time on the 1,502 cxr items and on 10,000 items, and whether it finds what was planted: 5% of the
// labels flipped (seeded) must rank among the top 2× label issues, and planted duplicate files (exact copies
// and resized JPEG re-encodings of real images) must all land in a cluster with their original.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { openDataset } from '../src/dataset';
import type { DatasetItem } from '../src/dataset';
import { readFingerprint, runAudit } from '../src/ml/audit';
import type { AuditItem, ImageFingerprint } from '../src/ml/audit';
import { seededRandom } from '../src/ml/splits';
import { progress, runBenchmark } from './lib/child';
import { embedCached, cxrFeatures, openCxrSession } from './lib/features';
import { auditItem, flipLabels, recallInTop } from './lib/labelNoise';
import { timed } from './lib/stats';

const FLIP_RATE = 0.05;
const PLANTED = 8;
/** Items of the large audit (the target names 10,000). */
const LARGE = 10_000;

/** Exact copies (hard links) and 90%-size JPEG re-encodings of `count` seeded originals, in their class folders. */
async function plantDuplicates(work: string, originals: readonly DatasetItem[], count: number): Promise<{ root: string; pairs: [string, string][] }> {
  const root = path.join(work, 'planted-duplicates');
  fs.rmSync(root, { recursive: true, force: true });
  const random = seededRandom(3);
  const pairs: [string, string][] = [];
  for (let k = 0; k < count; k++) {
    const original = originals[Math.floor(random() * originals.length)];
    const folder = path.join(root, original.label!);
    fs.mkdirSync(folder, { recursive: true });
    const base = path.basename(original.id).replace(/\.[^.]+$/, '');
    const exact = `${original.label}/exact-${k}-${path.basename(original.id)}`;
    fs.linkSync(original.absPath, path.join(root, exact));
    const near = `${original.label}/near-${k}-${base}.jpg`;
    const width = Math.round((original.width ?? 512) * 0.9);
    await sharp(original.absPath).resize({ width }).jpeg({ quality: 85 }).toFile(path.join(root, near));
    pairs.push([original.id, `planted/${exact}`], [original.id, `planted/${near}`]);
  }
  return { root, pairs };
}

/** 10,000 items from the real embeddings: each a copy with seeded Gaussian noise of half a feature's spread. */
function syntheticItems(items: readonly DatasetItem[], features: Float32Array, dim: number, n: number): { items: AuditItem[]; data: Float32Array } {
  const rows = items.length;
  const spread = new Float64Array(dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j] / rows;
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) spread[j] += (features[i * dim + j] - mean[j]) ** 2 / rows;
  const random = seededRandom(9);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const data = new Float32Array(n * dim);
  const out: AuditItem[] = [];
  for (let i = 0; i < n; i++) {
    const src = i % rows;
    const copy = Math.floor(i / rows);
    for (let j = 0; j < dim; j++) data[i * dim + j] = features[src * dim + j] + 0.5 * Math.sqrt(spread[j]) * gauss();
    const item = items[src];
    const patient = item.metadata.patient_id ? `${item.metadata.patient_id}#${copy}` : '';
    out.push({
      ...auditItem(item, item.label, `copy${copy}/${item.id}`),
      hash: createHash('sha256').update(`${i}`).digest('hex'),
      metadata: { ...item.metadata, patient_id: patient },
    });
  }
  return { items: out, data };
}

runBenchmark('audit', async ({ work }) => {
  const session = await openCxrSession(work);
  try {
    const cxr = await cxrFeatures(session, work);
    const { items, features, featureDim: dim } = cxr;
    const classes = [...new Set(items.map((item) => item.label!))].sort();

    progress('audit', `fingerprints of ${items.length} images`);
    const fingerprinting = await timed(() => Promise.all(items.map((item) => readFingerprint(item.absPath))));
    const fingerprints: (ImageFingerprint | null)[] = fingerprinting.result;

    progress('audit', `audit of ${items.length} items`);
    const clean = await timed(() =>
      runAudit({ dataset: cxr.root, classes, items: items.map((item) => auditItem(item, item.label)), features: { data: features, rows: items.length, cols: dim }, fingerprints }),
    );

    // Seeded label noise and planted duplicates, in one audit as a user would meet them.
    const noise = flipLabels(items.map((item) => item.label!), classes, FLIP_RATE, 5);
    const labels = noise.noisy;
    const flipped = new Set([...noise.flipped].map((i) => items[i].id));
    const planted = await plantDuplicates(work, items, PLANTED);
    const plantedItems = (await openDataset(planted.root)).items;
    const plantedFeatures = (await embedCached(session, plantedItems, 'planted duplicates')).features;
    const plantedPrints = await Promise.all(plantedItems.map((item) => readFingerprint(item.absPath)));
    const noisyItems = [...items.map((item, i) => auditItem(item, labels[i])), ...plantedItems.map((item) => auditItem(item, item.label, `planted/${item.id}`))];
    const noisyFeatures = new Float32Array(noisyItems.length * dim);
    noisyFeatures.set(features);
    noisyFeatures.set(plantedFeatures, features.length);
    progress('audit', `audit with ${flipped.size} flipped labels and ${planted.pairs.length} planted duplicates`);
    const noisy = await runAudit({
      dataset: cxr.root,
      classes,
      items: noisyItems,
      features: { data: noisyFeatures, rows: noisyItems.length, cols: dim },
      fingerprints: [...fingerprints, ...plantedPrints],
    });
    const recall = recallInTop(noisy, flipped);
    const clusterOf = new Map<string, string>();
    for (const cluster of noisy.duplicates.clusters) for (const member of cluster.members) clusterOf.set(member, cluster.id);
    const found = planted.pairs.filter(([a, b]) => clusterOf.has(a) && clusterOf.get(a) === clusterOf.get(b)).length;

    const n = LARGE;
    progress('audit', `audit of ${n} synthetic items`);
    const synthetic = syntheticItems(items, features, dim, n);
    const large = await timed(() => runAudit({ dataset: 'synthetic', classes, items: synthetic.items, features: { data: synthetic.data, rows: n, cols: dim } }));

    return {
      metrics: {
        'audit.1502.seconds': clean.ms / 1000,
        'audit.fingerprintSeconds': fingerprinting.ms / 1000,
        'audit.10000.seconds': large.ms / 1000,
        'audit.labelIssueRecallTop2x': recall,
        'audit.plantedDuplicatesFound': found / planted.pairs.length,
      },
      inputs: {
        items: items.length,
        featureDim: dim,
        flippedLabels: flipped.size,
        flipSeed: 5,
        plantedDuplicates: `${planted.pairs.length} (${PLANTED} exact copies, ${PLANTED} resized JPEG re-encodings)`,
        large: `${n} items: cxr embeddings + seeded Gaussian noise (0.5 × per-feature spread), no fingerprints`,
        timings1502: clean.result.timings,
        timings10000: large.result.timings,
      },
      details: {
        cleanIssues: clean.result.labelIssues!.issues.length,
        cleanDuplicateClusters: clean.result.duplicates.clusters.length,
        largeDuplicateClusters: large.result.duplicates.clusters.length,
        labelIssueBalancedAccuracy: noisy.labelIssues!.balancedAccuracy,
        missedDuplicates: planted.pairs.filter(([a, b]) => !(clusterOf.has(a) && clusterOf.get(a) === clusterOf.get(b))),
      },
    };
  } finally {
    await session.close();
  }
});
