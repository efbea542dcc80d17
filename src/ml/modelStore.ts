// Model versions in `<dataset>/.xray-curator/models/vN/`: the head (tfjs layers model) and `version.json`
// (classes, backbone, training config, label fingerprint, metrics, parent).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { backboneDigest } from './backbone';
import { loadModelFromDir, saveModelToDir } from './layersModelIO';
import { MODEL_VERSION_FORMAT, modelsDir, VALIDATION_FILE } from './modelVersions';
import { saveNextVersion } from './versionFolders';
import type { BackboneRecord, ModelVersion, ModelVersionInfo, ValidationPredictions } from './modelVersions';

export * from './modelVersions';

/** Loads the head of a version folder; the caller disposes it. */
export async function loadHead(dir: string): Promise<tf.LayersModel> {
  return loadModelFromDir(dir);
}

/** A fine-tuned backbone to store in the version folder, and how it was made. */
export interface SavedBackbone {
  model: tf.LayersModel;
  /** The record of the backbone it was fine-tuned from. */
  base: BackboneRecord;
  blocks: number;
}

/** Folder of the fine-tuned backbone inside a version folder. */
const BACKBONE_SUBDIR = 'backbone';

/**
 * Saves a new version `v(N+1)`: written into a temporary folder and renamed into place, so a reader never
 * sees a half-written version and two concurrent trainings get different numbers. `validation` is saved as
 * `validation.json`; with `backbone`, the fine-tuned backbone is saved inside and recorded as the version's backbone.
 */
export async function saveVersion(
  stateDir: string,
  head: tf.LayersModel,
  info: Omit<ModelVersionInfo, 'version' | 'modelVersion' | 'createdAt'>,
  validation?: ValidationPredictions,
  backbone?: SavedBackbone,
): Promise<ModelVersion> {
  let record = info.backbone;
  return saveNextVersion(
    modelsDir(stateDir),
    async (tmp) => {
      await saveModelToDir(head, tmp);
      if (validation) await fs.promises.writeFile(path.join(tmp, VALIDATION_FILE), JSON.stringify(validation));
      if (backbone) record = await saveFineTunedBackbone(tmp, backbone);
    },
    (modelVersion): ModelVersionInfo => ({ version: MODEL_VERSION_FORMAT, modelVersion, createdAt: new Date().toISOString(), ...info, backbone: record }),
  );
}

/** Saves a fine-tuned backbone inside a version folder; returns the version's record of it. */
export async function saveFineTunedBackbone(versionDir: string, backbone: SavedBackbone): Promise<BackboneRecord> {
  const dir = path.join(versionDir, BACKBONE_SUBDIR);
  await fs.promises.mkdir(dir);
  await saveModelToDir(backbone.model, dir);
  const digest = await backboneDigest(dir);
  const name = backbone.base.id.replace(/@[0-9a-f]+$/, '');
  const { id, location } = backbone.base;
  return {
    ...backbone.base,
    id: `${name}-ft${backbone.blocks}@${digest.slice(0, 16)}`,
    digest,
    location: BACKBONE_SUBDIR,
    fineTunedBlocks: backbone.blocks,
    fineTunedFrom: { id, digest: backbone.base.digest, location },
  };
}
