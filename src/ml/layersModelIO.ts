// Reading and writing TensorFlow.js layers models in a folder (`model.json` + one weights file): tfjs
// without tfjs-node has no file:// handler.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const WEIGHTS_FILE = 'weights.bin';

/** Builds a model from a parsed `model.json` and its shard contents in manifest order. */
export function modelFromParts(
  modelTopology: object,
  weightsManifest: readonly { weights: tf.io.WeightsManifestEntry[] }[],
  shards: readonly Uint8Array[],
): Promise<tf.LayersModel> {
  const weightData = Buffer.concat(shards);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology,
      weightSpecs: weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    }),
  );
}

/** Saves `model` as `dir/model.json` + `dir/weights.bin` (the folder must exist). */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bytes = data === undefined ? new Uint8Array(0) : new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
      await fs.promises.writeFile(path.join(dir, WEIGHTS_FILE), bytes);
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      await fs.promises.writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads a layers model saved in `dir` (by {@link saveModelToDir} or any tfjs converter). */
export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  let json: { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(await fs.promises.readFile(path.join(dir, 'model.json'), 'utf8')) as typeof json;
  } catch (error) {
    throw new Error(`cannot read ${path.join(dir, 'model.json')}: ${(error as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${dir}/model.json is not a TensorFlow.js layers model`);
  const shards = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.promises.readFile(path.join(dir, path.basename(p)))));
  return modelFromParts(json.modelTopology, json.weightsManifest, shards);
}
