// The detail view's requests for one item: its metadata, history and probabilities (what blind reading allows), the
// Grad-CAM map of the latest model version computed in a worker thread, a DICOM file's masked tags, full-range pixels.
import * as vscode from 'vscode';
import { stateDirOf } from '../dataset';
import type { DatasetItem, LabelJournal } from '../dataset';
import { latestVersion, listVersions } from '../ml/modelVersions';
import { latestMultiLabelVersion } from '../ml/multilabel/versionStore';
import { originalUrl, thumbnailUrl } from '../shared/itemUrls';
import type { DetailReply, DetailRequest, DicomTagsRequest, GalleryUrls, PixelsRequest, SaliencyReply, SaliencyRequest, ToWebviewBody } from '../shared/protocol';
import { dicomTagsReply, hasFullRange, PixelCache } from './dicomDetail';
import { historyOf } from './galleryData';
import type { PredictionStore } from './galleryData';
import { SaliencyMaps } from './saliencyMaps';
import type { Loaded } from './galleryLoader';
import type { GalleryStudy } from './readers/galleryStudy';
import type { ThumbnailQueue } from './thumbnailQueue';

export type ItemRequest = DetailRequest | SaliencyRequest | DicomTagsRequest | PixelsRequest;

export class ItemDetails {
  private readonly saliencyMaps: SaliencyMaps;
  private readonly pixels = new PixelCache();

  constructor(
    private readonly datasetRoot: string,
    private readonly urls: GalleryUrls,
    private readonly thumbnails: ThumbnailQueue,
    private readonly predictions: PredictionStore,
    /** Where downloaded backbones are cached (the extension's global storage). */
    backboneCache: string | undefined,
    /** Blind reading withholds the model and the other readers until this reader has read the item. */
    private readonly study: GalleryStudy,
  ) {
    this.saliencyMaps = new SaliencyMaps(backboneCache);
  }

  /** `item`: the request's item, looked up in `loaded` (the webview may only name items of this dataset). */
  async answer(body: ItemRequest, item: DatasetItem, loaded: Loaded): Promise<ToWebviewBody> {
    switch (body.type) {
      case 'detail': {
        const reply = await this.detail(item, loaded.journal, loaded.dataset.multiLabel?.findings);
        return this.study.current?.shownDetail(reply) ?? reply;
      }
      case 'saliency':
        if (this.study.blinded(item.id)) throw new Error(`${item.id}: blind reading shows the model's evidence once you have read the image`);
        return this.saliency(item, body.finding);
      case 'dicomTags':
        return dicomTagsReply(item);
      case 'pixels':
        return this.pixels.reply(item);
    }
  }

  /** `findings`: a multi-label dataset's findings, each listed with its label and probability. */
  private async detail(item: DatasetItem, journal: LabelJournal, findings?: readonly string[]): Promise<DetailReply> {
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

  /**
   * A saliency map can be made: trusted folder, readable item that a model predicted (the class model, or the
   * findings model for a multi-label item), a saved version of that model.
   */
  private async canExplain(item: DatasetItem): Promise<boolean> {
    if (!vscode.workspace.isTrusted || item.error || !item.hash) return false;
    const stateDir = stateDirOf(this.datasetRoot);
    if (item.findings) return this.predictions.findings.probsOf(item.id) !== undefined && (await latestMultiLabelVersion(stateDir)) !== undefined;
    return this.predictions.galleryFields(item.id).prediction !== undefined && (await listVersions(stateDir)).length > 0;
  }

  /**
   * Grad-CAM of an item under the latest model version, or of one finding under the latest findings model, computed
   * in a worker thread (cached per content, version and finding).
   */
  private async saliency(item: DatasetItem, finding?: string): Promise<SaliencyReply> {
    const id = item.id;
    if (!vscode.workspace.isTrusted) throw new Error('Restricted Mode: no model runs until you trust this folder.');
    if (item.error || !item.hash) throw new Error(`${id} cannot be read${item.error ? `: ${item.error}` : ''}`);
    const stateDir = stateDirOf(this.datasetRoot);
    if (finding !== undefined && !item.findings) throw new Error(`${id} has no findings to explain`);
    const version = finding === undefined ? await latestVersion(stateDir) : await latestMultiLabelVersion(stateDir);
    if (!version) throw new Error(`no trained ${finding === undefined ? 'model' : 'findings model'} yet: run Retrain Model`);
    const map = this.saliencyMaps.of({ ...item, hash: item.hash }, version, finding);
    const { modelVersion, model, className, width, height, values } = await map;
    return { type: 'saliency', id, modelVersion, model, className, width, height, values };
  }

  dispose(): void {
    this.saliencyMaps.dispose();
  }
}
