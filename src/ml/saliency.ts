// Grad-CAM saliency for one image: which parts of the backbone's last feature map raised the score of the class
// the model predicts. The head is global average pooling plus a dense layer, so the gradients only flow through
// those two (no backprop through the convolutions): cheap enough to compute on demand on wasm.
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from './backbone';
import { headVariables } from './head';
import { backboneLocation, loadHead, readVersionInfo } from './modelStore';
import type { BackboneRecord } from './modelVersions';
import { loadMultiLabelHead } from './multilabel/headStore';
import { readMultiLabelVersion } from './multilabel/versionStore';
import { decodeToInput, scaleToInput } from './preprocess';

/** Side of the square grid the map is upsampled to: smooth under a colour map, small enough for a message. */
export const SALIENCY_GRID = 56;

export interface GradCam {
  /** Index of the output explained: the one asked for, else the head's top class. */
  classIndex: number;
  /** The head's probabilities for the image, in class order. */
  probabilities: number[];
  width: number;
  height: number;
  /** Row-major `height × width` values in [0, 1] (1: the strongest evidence); all 0 when nothing supports the class. */
  values: number[];
}

/**
 * Grad-CAM of one head output for one preprocessed image `[1, h, w, 3]` (by default the top class): weights = spatial
 * mean of the gradient of the output's score with respect to the feature map A; map = relu(Σ_k weight_k · A_k),
 * bilinearly upsampled to `size × size` and scaled so its maximum is 1. The score is the pre-activation logit (of the
 * softmax, or of a finding's sigmoid), since the probability saturates on confident images and its gradient vanishes.
 */
export function gradCam(backbone: tf.LayersModel, head: tf.LayersModel, input: tf.Tensor4D, size = SALIENCY_GRID, output?: number): GradCam {
  const { kernel, bias } = headVariables(head);
  return tf.tidy(() => {
    const features = backbone.predict(input) as tf.Tensor4D;
    const probabilities = Array.from((head.predict(tf.mean(features, [1, 2])) as tf.Tensor2D).dataSync());
    const classIndex = output ?? probabilities.indexOf(Math.max(...probabilities));
    if (!(classIndex >= 0 && classIndex < probabilities.length)) throw new RangeError(`output ${classIndex} of a head with ${probabilities.length}`);
    const channels = kernel.shape[0];
    const classKernel = kernel.slice([0, classIndex], [channels, 1]);
    const classBias = bias.slice([classIndex], [1]);
    const score = (a: tf.Tensor): tf.Scalar => tf.sum(tf.add(tf.matMul(tf.mean(a, [1, 2]) as tf.Tensor2D, classKernel), classBias));
    const weights = tf.mean(tf.grad(score)(features), [1, 2], true);
    const cam = tf.relu(tf.sum(tf.mul(features, weights), -1, true)) as tf.Tensor4D;
    const upsampled = tf.image.resizeBilinear(cam, [size, size], false, true);
    const max = tf.max(upsampled).dataSync()[0];
    const values = Array.from((max > 0 ? tf.div(upsampled, max) : upsampled).dataSync(), (v) => Math.min(1, Math.max(0, v)));
    return { classIndex, probabilities, width: size, height: size, values };
  });
}

export interface SaliencyMap {
  method: 'grad-cam';
  modelVersion: number;
  /** `findings` for a multi-label dataset's findings model (`className` is then the finding). */
  model: 'classes' | 'findings';
  className: string;
  /** The model's probability for `className`. */
  probability: number;
  width: number;
  height: number;
  values: number[];
}

/** What the `saliency` job gets: the image (already checked to be a dataset item) and the version to explain it with. */
export interface SaliencyParams {
  file: string;
  /** The model version folder (`<state>/models/vN`, or `<state>/models-multilabel/vN` with `finding`). */
  versionDir: string;
  /** A findings model's finding to explain; without it, the class the model predicts. */
  finding?: string;
  /** Where downloaded backbones are cached (needed when the version's backbone is a URL). */
  cacheDir?: string;
}

/** The head to explain, the output of it, and its name. */
interface Explained {
  version: { dir: string; info: { modelVersion: number; backbone: BackboneRecord } };
  head: () => Promise<tf.LayersModel>;
  output?: number;
  name: (output: number) => string | undefined;
}

async function explained(params: SaliencyParams): Promise<Explained> {
  if (params.finding === undefined) {
    const info = await readVersionInfo(params.versionDir);
    return { version: { dir: params.versionDir, info }, head: () => loadHead(params.versionDir), name: (i) => info.classes[i] };
  }
  const version = await readMultiLabelVersion(params.versionDir);
  const output = version.info.findings.indexOf(params.finding);
  if (output < 0) throw new Error(`findings model v${version.info.modelVersion} was not trained on ${params.finding} (it has ${version.info.findings.join(', ')})`);
  return { version, head: () => loadMultiLabelHead(version.dir), output, name: (i) => version.info.findings[i] };
}

/** Grad-CAM of an image file under a model version, through the version's own backbone (checked by digest). */
export async function explainImage(params: SaliencyParams, signal?: AbortSignal): Promise<SaliencyMap> {
  const target = await explained(params);
  const { info } = target.version;
  const backbone = await loadBackbone(backboneLocation(target.version), { sha256: info.backbone.digest, cacheDir: params.cacheDir, signal });
  try {
    const head = await target.head();
    try {
      const [height, width] = backbone.inputSize;
      const pixels = new Float32Array(height * width * 3);
      scaleToInput(await decodeToInput(params.file, width, height), pixels, 0);
      signal?.throwIfAborted();
      const input = tf.tensor4d(pixels, [1, height, width, 3]);
      let cam: GradCam;
      try {
        cam = gradCam(backbone.model, head, input, SALIENCY_GRID, target.output);
      } finally {
        input.dispose();
      }
      const className = target.name(cam.classIndex);
      if (className === undefined) throw new Error(`model v${info.modelVersion} names ${cam.classIndex} outputs fewer than its head's ${cam.probabilities.length}`);
      return {
        method: 'grad-cam',
        modelVersion: info.modelVersion,
        model: params.finding === undefined ? 'classes' : 'findings',
        className,
        probability: cam.probabilities[cam.classIndex],
        width: cam.width,
        height: cam.height,
        values: cam.values,
      };
    } finally {
      head.dispose();
    }
  } finally {
    backbone.model.dispose();
  }
}
