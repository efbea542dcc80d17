import * as vscode from 'vscode';
import type { IdentifierPolicy } from '../dataset';
import type { TrainConfig } from '../ml/config';
import type { MultiLabelTrainConfig, UncertaintyPolicy } from '../ml/multilabel/config';

/** The `xrayCurator.*` settings, typed; package.json `contributes.configuration` documents each one. */
export interface CuratorSettings {
  /** Backbone folder or `https://` URL of its `model.json`; empty: the built-in MobileNetV2. */
  backbone: string;
  /** Expected SHA-256 of a downloaded backbone (`model.json` then its shards); required for a URL. */
  backboneSha256: string;
  /** Classes to train on, in order; empty = every class found in the labels. */
  classes: string[];
  train: Partial<Omit<TrainConfig, 'augment'>>;
  /** Fine-Tune Backbone's default number of blocks (K). */
  fineTuneBlocks: number;
  thumbnailSize: number;
  /** Name written into the label journal; empty = the OS user name. */
  journalUser: string;
  /** How DICOM patient and study ids are written; saved with each dataset a gallery opens. */
  dicomIdentifiers: IdentifierPolicy;
  /** Multi-label training: the uncertainty policy from `xrayCurator.uncertainLabels` (`*` is the default). */
  findingsTrain: Partial<Pick<MultiLabelTrainConfig, 'uncertainty' | 'uncertainDefault'>>;
}

export function readSettings(): CuratorSettings {
  const config = vscode.workspace.getConfiguration('xrayCurator');
  const get = <T>(key: string, fallback: T): T => config.get<T>(key) ?? fallback;
  return {
    backbone: get('backbone', ''),
    backboneSha256: get('backboneSha256', ''),
    classes: get<string[]>('classes', []),
    train: {
      epochs: get('epochs', 40),
      learningRate: get('learningRate', 0.001),
      dropout: get('dropout', 0.5),
      augmentViews: get('augmentViews', 2),
      optimizer: get<'adam' | 'rmsprop'>('optimizer', 'adam'),
      seed: get('seed', 42),
      fineTuneLearningRate: get('fineTuneLearningRate', 1e-5),
      fineTuneEpochs: get('fineTuneEpochs', 5),
    },
    fineTuneBlocks: get('fineTuneBlocks', 1),
    thumbnailSize: get('thumbnailSize', 256),
    journalUser: get('journalUser', ''),
    dicomIdentifiers: get<string>('dicomIdentifiers', 'pseudonymised') === 'raw' ? 'raw' : 'pseudonymised',
    findingsTrain: uncertaintyPolicy(get<Record<string, UncertaintyPolicy>>('uncertainLabels', {})),
  };
}

/** `{finding: policy, '*': policy}` as the training config has it; values are checked when training starts. */
function uncertaintyPolicy(setting: Record<string, UncertaintyPolicy>): CuratorSettings['findingsTrain'] {
  const { '*': uncertainDefault, ...uncertainty } = setting;
  return { uncertainty, ...(uncertainDefault !== undefined ? { uncertainDefault } : {}) };
}
