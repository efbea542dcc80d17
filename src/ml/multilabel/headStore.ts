// Saving a multi-label version's head and loading it back (TensorFlow.js); the version files themselves are read by
// versionStore.ts, which the extension host uses without loading the engine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadModelFromDir, saveModelToDir } from '../layersModelIO';
import { saveFineTunedBackbone } from '../modelStore';
import type { SavedBackbone } from '../modelStore';
import { saveNextVersion } from '../versionFolders';
import { multiLabelModelsDir, MULTILABEL_KIND, MULTILABEL_VERSION_FORMAT, VALIDATION_FILE } from './versionStore';
import type { MultiLabelValidation, MultiLabelVersion, MultiLabelVersionInfo } from './versionStore';

/**
 * Saves `v(N+1)` through a temporary folder renamed into place (a reader never sees half a version); with `backbone`,
 * the fine-tuned backbone is saved inside (`vN/backbone/`) and recorded as the version's backbone, as class models do.
 */
export async function saveMultiLabelVersion(
  stateDir: string,
  head: tf.LayersModel,
  info: Omit<MultiLabelVersionInfo, 'version' | 'kind' | 'modelVersion' | 'createdAt'>,
  validation: Omit<MultiLabelValidation, 'version'>,
  backbone?: SavedBackbone,
): Promise<MultiLabelVersion> {
  let record = info.backbone;
  return saveNextVersion(
    multiLabelModelsDir(stateDir),
    async (tmp) => {
      await saveModelToDir(head, tmp);
      await fs.promises.writeFile(path.join(tmp, VALIDATION_FILE), JSON.stringify({ version: MULTILABEL_VERSION_FORMAT, ...validation }));
      if (backbone) record = await saveFineTunedBackbone(tmp, backbone);
    },
    (modelVersion): MultiLabelVersionInfo => ({ version: MULTILABEL_VERSION_FORMAT, kind: MULTILABEL_KIND, modelVersion, createdAt: new Date().toISOString(), ...info, backbone: record }),
  );
}

/** Loads a version's head; the caller disposes it. */
export function loadMultiLabelHead(dir: string): Promise<tf.LayersModel> {
  return loadModelFromDir(dir);
}

