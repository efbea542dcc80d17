// The detail view's data for one item: its metadata, history and probabilities, and the Grad-CAM map of the latest
// model version, computed in a worker thread.
import * as vscode from 'vscode';
import { stateDirOf } from '../dataset';
import type { DatasetItem, LabelJournal } from '../dataset';
import { latestVersion, listVersions } from '../ml/modelVersions';
import { originalUrl, thumbnailUrl } from '../shared/itemUrls';
import type { DetailReply, GalleryUrls, SaliencyReply } from '../shared/protocol';
import { hasFullRange } from './dicomDetail';
import { historyOf } from './galleryData';
import type { PredictionStore } from './galleryData';
import { SaliencyMaps } from './saliencyMaps';
import type { ThumbnailQueue } from './thumbnailQueue';

export class ItemDetails {
  private readonly saliencyMaps: SaliencyMaps;

  constructor(
    private readonly datasetRoot: string,
    private readonly urls: GalleryUrls,
    private readonly thumbnails: ThumbnailQueue,
    private readonly predictions: PredictionStore,
    /** Where downloaded backbones are cached (the extension's global storage). */
    backboneCache: string | undefined,
  ) {
    this.saliencyMaps = new SaliencyMaps(backboneCache);
  }

  /** `findings`: a multi-label dataset's findings, each listed with its label and probability. */
  async detail(item: DatasetItem, journal: LabelJournal, findings?: readonly string[]): Promise<DetailReply> {
    const id = item.id;
    // Browsers cannot show DICOM: the detail view shows the thumbnail until the full-range pixels arrive.
    const viewable = item.format !== 'dicom' ? originalUrl(this.urls, item) : undefined;
    const thumb = thumbnailUrl(this.urls, { thumb: this.thumbnails.fileOf(item) });
    return {
      type: 'detail',
      id,
      ...(viewable ? { imageUrl: viewable } : thumb ? { imageUrl: thumb } : {}),
      ...(item.width ? { width: item.width, height: item.height, format: item.format } : {}),
      metadata: { ...item.metadata, ...(item.hash ? { sha256: item.hash } : {}) },
      probabilities: this.predictions.probabilities(id),
      ...(findings && item.findings ? { findings: this.predictions.findings.detailRows(item, findings) } : {}),
      history: historyOf(journal.entries, id),
      saliencyAvailable: await this.canExplain(item),
      ...(item.format === 'dicom' && !item.error ? { dicom: true } : {}),
      ...((await hasFullRange(item)) ? { fullRange: true } : {}),
    };
  }

  /** A saliency map can be made: trusted folder, readable item that a model predicted, a saved model version. */
  private async canExplain(item: DatasetItem): Promise<boolean> {
    if (!vscode.workspace.isTrusted || item.error || !item.hash || !this.predictions.galleryFields(item.id).prediction) return false;
    return (await listVersions(stateDirOf(this.datasetRoot))).length > 0;
  }

  /** Grad-CAM of an item under the latest model version, computed in a worker thread (cached per content and version). */
  async saliency(item: DatasetItem): Promise<SaliencyReply> {
    const id = item.id;
    if (!vscode.workspace.isTrusted) throw new Error('Restricted Mode: no model runs until you trust this folder.');
    if (item.error || !item.hash) throw new Error(`${id} cannot be read${item.error ? `: ${item.error}` : ''}`);
    const version = await latestVersion(stateDirOf(this.datasetRoot));
    if (!version) throw new Error('no trained model yet: run Retrain Model');
    const map = this.saliencyMaps.of({ ...item, hash: item.hash }, version);
    const { modelVersion, className, width, height, values } = await map;
    return { type: 'saliency', id, modelVersion, className, width, height, values };
  }

  dispose(): void {
    this.saliencyMaps.dispose();
  }
}
