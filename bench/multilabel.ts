// Multi-label sets at full size: opening a folder labelled by a 112,120-row NIH `Data_Entry_2017.csv` and by a
// 223,414-row CheXpert `train.csv` (rows made here, pointing at hard links to real images), without and with the
// file-facts cache, and the importer alone; then retraining the 14-finding sigmoid head on 10,000 cached
// (synthetic) embeddings warm-started after a few corrections, with the split, re-prediction and metrics that
// Retrain runs. Tensors must not leak.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { openDataset, STATE_DIR_NAME } from '../src/dataset';
import type { Dataset } from '../src/dataset';
import { importMultiLabel, NIH_FINDINGS } from '../src/dataset/multilabel';
import type { FindingState, Findings } from '../src/dataset/multilabel';
import { initEngine } from '../src/ml/engine';
import { readHeadWeights } from '../src/ml/head';
import { resolveMultiLabelConfig } from '../src/ml/multilabel/config';
import { evaluateFindings } from '../src/ml/multilabel/findingMetrics';
import { initialWeights, predictSigmoid } from '../src/ml/multilabel/sigmoidHead';
import { iterativeGroupSplit } from '../src/ml/multilabel/stratify';
import { labelMatrix, selectRows } from '../src/ml/multilabel/targets';
import { trainSigmoidHead } from '../src/ml/multilabel/trainSigmoidHead';
import { seededRandom } from '../src/ml/splits';
import { NIH14_DIR } from '../test/support/shared';
import { progress, runBenchmark } from './lib/child';
import { nihFolder } from './lib/nihFolder';
import { timed } from './lib/stats';
import { linkOrCopy } from '../test/support/mirror';
import { once } from './lib/workspace';

const CHEXPERT_HEADER =
  'Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices';
/** NIH ChestX-ray14's prevalences (Wang et al. 2017), in NIH_FINDINGS order. */
const NIH_PREVALENCE = [0.103, 0.025, 0.042, 0.021, 0.119, 0.022, 0.015, 0.002, 0.177, 0.051, 0.056, 0.03, 0.013, 0.047];

/** `rows` CheXpert rows over four views per patient, hard links to 64 small JPEGs made from the NIH images. */
async function chexpertFolder(work: string, rows: number): Promise<string> {
  const jpegs = path.join(work, 'multilabel-jpegs');
  if (!fs.existsSync(path.join(jpegs, '63.jpg'))) {
    fs.mkdirSync(jpegs, { recursive: true });
    const names = fs.readdirSync(path.join(NIH14_DIR, 'images')).sort();
    for (let j = 0; j < 64; j++) await sharp(path.join(NIH14_DIR, 'images', names[j * 5])).resize(320, 320).jpeg({ quality: 85 }).toFile(path.join(jpegs, `${j}.jpg`));
  }
  return once(path.join(work, `multilabel-chexpert-${rows}`, 'CheXpert-v1.0-small'), (dir) => {
    const random = seededRandom(5);
    const cell = (): string => {
      const r = random();
      return r < 0.12 ? '1.0' : r < 0.2 ? '0.0' : r < 0.25 ? '-1.0' : '';
    };
    const out = [CHEXPERT_HEADER];
    for (let i = 0; i < rows; i++) {
      const patient = `patient${String(Math.floor(i / 4) + 1).padStart(5, '0')}`;
      const frontal = i % 2 === 0;
      const id = `train/${patient}/study${(i % 4 < 2 ? 1 : 2)}/view${frontal ? 1 : 2}_${frontal ? 'frontal' : 'lateral'}.jpg`;
      linkOrCopy(path.join(jpegs, `${i % 64}.jpg`), path.join(dir, id));
      const labels = Array.from({ length: 14 }, cell);
      out.push([`CheXpert-v1.0-small/${id}`, i % 3 ? 'Female' : 'Male', String(20 + (i % 70)), frontal ? 'Frontal' : 'Lateral', frontal ? 'AP' : '', ...labels].join(','));
    }
    fs.writeFileSync(path.join(dir, 'train.csv'), `${out.join('\n')}\n`);
  });
}

/** Opens `dir` without and with the file-facts cache, and times the importer alone on the files found. */
async function openTimed(name: string, dir: string, rows: number): Promise<{ metrics: Record<string, number>; inputs: Record<string, unknown> }> {
  fs.rmSync(path.join(dir, STATE_DIR_NAME), { recursive: true, force: true });
  progress('multilabel', `${name}: opening ${rows} rows in ${dir}`);
  const cold = await timed(() => openDataset(dir));
  const warm = await timed(() => openDataset(dir));
  const ids = cold.result.items.map((item) => item.id);
  const imported = await timed(() => importMultiLabel(dir, ids));
  const dataset: Dataset = cold.result;
  if (dataset.items.length !== rows || imported.result?.items.length !== rows) throw new Error(`${name}: ${dataset.items.length} items, ${imported.result?.items.length} labelled, expected ${rows}`);
  if (dataset.problems.length) throw new Error(`${name}: ${dataset.problems.length} problems, e.g. ${dataset.problems[0].reason}`);
  return {
    metrics: { [`multilabel.${name}.coldOpenSeconds`]: cold.ms / 1000, [`multilabel.${name}.warmOpenSeconds`]: warm.ms / 1000, [`multilabel.${name}.importSeconds`]: imported.ms / 1000 },
    inputs: { rows, format: dataset.multiLabel?.format, findings: dataset.multiLabel?.findings.length, distinctFiles: new Set(dataset.items.map((i) => i.hash)).size },
  };
}

/** `n` synthetic embeddings (1280 non-negative features, like pooled ReLU outputs): finding f raises features 4f..4f+3. */
function syntheticEmbeddings(n: number, dim: number): { features: Float32Array; states: Findings[]; patients: string[] } {
  const random = seededRandom(11);
  const features = new Float32Array(n * dim);
  const states: Findings[] = [];
  for (let i = 0; i < n; i++) {
    const present = NIH_PREVALENCE.map((p) => random() < p);
    for (let j = 0; j < dim; j++) features[i * dim + j] = Math.abs(random() - 0.5) * 2;
    present.forEach((on, f) => {
      if (on) for (let j = 4 * f; j < 4 * f + 4; j++) features[i * dim + j] += 0.8;
    });
    states.push(Object.fromEntries(NIH_FINDINGS.map((finding, f): [string, FindingState] => [finding, present[f] ? 'positive' : 'negative'])));
  }
  return { features, states, patients: Array.from({ length: n }, (_, i) => `p${Math.floor(i / 3)}`) };
}

/** Split + head training (warm-started when `parent` is given) + re-prediction of every item + per-finding metrics. */
async function retrain(data: ReturnType<typeof syntheticEmbeddings>, dim: number, parent?: tf.LayersModel): Promise<{ ms: number; head: tf.LayersModel; epochs: number; meanAuc: number | null }> {
  const config = resolveMultiLabelConfig({ minPositives: 1 });
  const start = performance.now();
  const matrix = labelMatrix(data.states, NIH_FINDINGS, config);
  const k = NIH_FINDINGS.length;
  const positives = data.states.map((_, i) => NIH_FINDINGS.flatMap((_, f) => (matrix.targets[i * k + f] ? [f] : [])));
  const split = iterativeGroupSplit(positives, data.patients, { train: 0.8, validation: 0.2 }, config.seed);
  const rows = (indices: number[]): Float32Array => {
    const out = new Float32Array(indices.length * dim);
    indices.forEach((i, r) => out.set(data.features.subarray(i * dim, (i + 1) * dim), r * dim));
    return out;
  };
  const initial = initialWeights(dim, NIH_FINDINGS, config.seed, parent && { findings: NIH_FINDINGS, weights: readHeadWeights(parent) }).weights;
  const trained = await trainSigmoidHead({
    featureDim: dim,
    train: { features: rows(split.train), labels: selectRows(matrix, split.train) },
    validation: { features: rows(split.validation), labels: selectRows(matrix, split.validation) },
    config,
    initial,
  });
  const probs = predictSigmoid(trained.head, data.features, dim);
  const valProbs = new Float32Array(split.validation.length * k);
  split.validation.forEach((i, r) => valProbs.set(probs.subarray(i * k, (i + 1) * k), r * k));
  const metrics = evaluateFindings({ findings: NIH_FINDINGS, probs: valProbs, states: split.validation.map((i) => data.states[i]), groups: split.validation.map((i) => data.patients[i]), config, bootstrap: { iterations: 200, seed: 0 } });
  return { ms: performance.now() - start, head: trained.head, epochs: trained.history.length, meanAuc: metrics.meanAuc.estimate };
}

runBenchmark('multilabel', async ({ quick, work }) => {
  const nihRows = quick ? 20_000 : 112_120;
  const chexpertRows = quick ? 40_000 : 223_414;
  const nih = await openTimed('nih', nihFolder(work, nihRows), nihRows);
  const chexpert = await openTimed('chexpert', await chexpertFolder(work, chexpertRows), chexpertRows);

  const engine = await initEngine();
  const dim = 1280;
  const items = 10_000;
  progress('multilabel', `head: ${items} synthetic embeddings, ${NIH_FINDINGS.length} findings (${engine.backend})`);
  const data = syntheticEmbeddings(items, dim);
  const before = tf.memory().numTensors;
  const cold = await retrain(data, dim);
  for (let c = 0; c < 20; c++) {
    const states = data.states[c * 37];
    states.Effusion = states.Effusion === 'positive' ? 'negative' : 'positive';
  }
  const warm = await retrain(data, dim, cold.head);
  cold.head.dispose();
  warm.head.dispose();
  return {
    metrics: {
      ...nih.metrics,
      ...chexpert.metrics,
      'multilabel.head.10000.coldTrainMs': cold.ms,
      'multilabel.head.10000.retrainPredictMs': warm.ms,
      'multilabel.head.10000.noTensorLeak': tf.memory().numTensors === before,
    },
    inputs: {
      nih: nih.inputs,
      chexpert: chexpert.inputs,
      head: { items, featureDim: dim, findings: NIH_FINDINGS.length, backend: engine.backend, coldEpochs: cold.epochs, warmEpochs: warm.epochs, validationMeanAuc: warm.meanAuc, config: 'multi-label defaults (adam, batch 128, ≤40 epochs, patience 5, dropout 0.2), 20 labels flipped before the retrain' },
    },
    notes: ['retrainPredictMs: iterative split + warm-started training + sigmoid over all 10,000 items + per-finding metrics with 200 patient resamples; target ≤ 3,000 ms'],
  };
});
