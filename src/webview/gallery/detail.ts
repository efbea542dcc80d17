// The detail view: an overlay over the grid with the image at full resolution (wheel zooms, drag pans,
// right- or shift-drag sets window/level), the class probabilities, the item's journal history and metadata,
// on request a Grad-CAM overlay (saliencyOverlay.ts) that follows zoom and pan, and a box to find a region by
// (region/regionSelect.ts).
// Window/level is an SVG colour transfer on the image, exact and GPU-cheap, with no pixel copies; DICOM and
// 16-bit PNG are windowed on their full-range values instead (windowLevel.ts); DICOM tags are listed (dicomTags.ts).
import type { DetailReply, FindingLabel, FromWebviewBody, GalleryItem, HistoryEntry, RegionBox, ToWebviewBody } from '../../shared/protocol';
import { readingSection } from './readers/readingDetail';
import { RegionSelect } from './region/regionSelect';
import { heading, paragraph } from './detailText';
import { findingsSection } from './findings/findingDetail';
import { tagTable } from './dicomTags';
import { SaliencyOverlay } from './saliencyOverlay';
import { element, labelText } from './tile';
import { dragWindowLevel, fitView, FULL_WINDOW, transfer, zoomAt } from './viewMath';
import type { View, WindowLevel } from './viewMath';
import { WindowedImage } from './windowLevel';

const SVG = 'http://www.w3.org/2000/svg';

export class DetailView {
  readonly root = element('div', 'detail');
  private readonly title = element('h2', 'detail-title');
  private readonly stage = element('div', 'stage');
  private readonly image = document.createElement('img');
  private readonly readout = element('div', 'readout');
  private readonly side = element('aside', 'detail-side');
  private readonly funcs: SVGElement[] = [];
  private readonly saliency: SaliencyOverlay;
  private readonly region: RegionSelect;
  /** A DICOM or 16-bit PNG image's full-range values in a canvas, shown instead of the 8-bit image once they arrive. */
  private readonly windowed = new WindowedImage();
  private readonly tagsInfo = element('div', 'dicom-tags-section');
  private readonly burnedIn = element('span', 'badge burned-in');
  /** Counts tag and pixel requests, so late replies for an item no longer shown are dropped. */
  private fullRangeRequest = 0;
  private view: View = { scale: 1, x: 0, y: 0 };
  private wl: WindowLevel = FULL_WINDOW;
  /** The item shown, or undefined when closed. */
  shownId: string | undefined;
  onClose: (() => void) | undefined;

  /** `request` asks the host (saliency maps, DICOM tags and pixels). */
  /** Sets one finding of the shown item (the findings list's selects). */
  onSetFinding: ((id: string, finding: string, state: FindingLabel) => void) | undefined;
  /** More like the shown item (the button, or `=` in the grid). */
  onMoreLikeThis: ((id: string) => void) | undefined;
  /** Images holding something like a box drawn on the shown item ("Find region…"). */
  onFindRegion: ((id: string, box: RegionBox) => void) | undefined;

  constructor(private readonly request: (body: FromWebviewBody) => Promise<ToWebviewBody>) {
    this.root.hidden = true;
    this.root.setAttribute('role', 'dialog');
    this.root.setAttribute('aria-label', 'Image detail');
    const bar = element('div', 'detail-bar');
    this.saliency = new SaliencyOverlay(request, { root: this.root, shownId: () => this.shownId, drawn: () => this.apply() });
    const reset = button('Reset view', () => this.resetView());
    const similar = button('More like this (=)', () => this.shownId !== undefined && this.onMoreLikeThis?.(this.shownId));
    similar.title = 'The images nearest to this one by embedding: the same marker, patient, artefact or source';
    this.region = new RegionSelect({ stage: this.stage, view: () => this.view, size: () => this.contentSize() });
    this.region.onFind = (box) => this.shownId !== undefined && this.onFindRegion?.(this.shownId, box);
    const close = button('Close (Esc)', () => this.onClose?.());
    close.className = 'close';
    this.burnedIn.textContent = '⚠ burned-in text';
    this.burnedIn.title = 'BurnedInAnnotation = YES: the pixels may show identifying text';
    bar.append(this.title, this.burnedIn, this.readout, similar, this.region.button, this.saliency.button, reset, close);

    this.image.className = 'full';
    this.image.draggable = false;
    this.image.alt = '';
    // A late thumbnail must not reset a full-range image being windowed.
    this.image.addEventListener('load', () => this.windowed.id === undefined && this.resetView());
    this.stage.append(this.image, this.windowed.canvas, this.saliency.heat, this.windowLevelFilter());
    this.stage.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    this.stage.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    this.stage.addEventListener('contextmenu', (event) => event.preventDefault());
    this.stage.addEventListener('dblclick', () => this.resetView());
    const body = element('div', 'detail-body');
    body.append(this.stage, this.side);
    this.root.append(bar, body);
  }

  /** `match`: where a region list found its region on this item. */
  show(detail: DetailReply, item: GalleryItem | undefined, match?: RegionBox): void {
    if (detail.id !== this.shownId) this.saliency.clear();
    this.region.showMatch(match);
    this.shownId = detail.id;
    this.root.hidden = false;
    // Blind reading: the class folder in the id would tell the label.
    this.title.textContent = detail.reading?.blinded ? detail.id.slice(detail.id.lastIndexOf('/') + 1) : detail.id;
    if (detail.imageUrl) {
      if (this.image.getAttribute('src') !== detail.imageUrl) this.image.src = detail.imageUrl;
      this.image.alt = detail.id;
      this.image.hidden = false;
    } else {
      this.image.hidden = true;
    }
    const burnedIn = detail.metadata.burned_in_annotation === 'YES';
    this.burnedIn.hidden = !burnedIn;
    this.root.classList.toggle('burned-in', burnedIn);
    if (!detail.fullRange && !detail.dicom) this.clearFullRange();
    else if (this.windowed.id !== detail.id) void this.loadFullRange(detail);
    else this.image.hidden = true; // the full-range canvas already shows this item
    const findings = detail.findings && findingsSection(detail.findings, { set: (finding, state) => this.onSetFinding?.(detail.id, finding, state), explain: (finding) => this.saliency.explain(finding) });
    this.side.replaceChildren(...this.summary(detail, item), ...(findings ?? this.probabilities(detail)), this.saliency.info, ...readingSection(detail.reading), ...this.history(detail.history), ...this.metadata(detail), this.tagsInfo);
    // The overlay needs an image to lie over: the 8-bit one, or the full-range values.
    this.saliency.show(detail, !this.image.hidden || !!detail.fullRange);
  }

  hide(): void {
    this.root.hidden = true;
    this.shownId = undefined;
    this.saliency.clear();
    this.region.arm(false);
    this.clearFullRange();
  }

  /** Asks for the tags (DICOM) and the full-range pixels; the thumbnail or 8-bit image stays until they arrive. */
  private async loadFullRange({ id, dicom, fullRange }: DetailReply): Promise<void> {
    this.clearFullRange();
    const request = this.fullRangeRequest;
    const current = (): boolean => request === this.fullRangeRequest && id === this.shownId;
    if (dicom) this.tagsInfo.replaceChildren(heading('DICOM tags'), paragraph('Reading the tags…'));
    const tags = !dicom ? undefined : this.request({ type: 'dicomTags', id }).then((reply) => {
      if (reply.type !== 'dicomTags') throw new Error(`unexpected reply ${reply.type}`);
      if (current()) this.tagsInfo.replaceChildren(heading('DICOM tags'), tagTable(reply.tags));
    });
    const pixels = !fullRange ? undefined : this.request({ type: 'pixels', id }).then((reply) => {
      if (reply.type !== 'pixels') throw new Error(`unexpected reply ${reply.type}`);
      if (!current()) return;
      this.windowed.show(reply);
      this.image.hidden = true;
      this.root.dataset.fullRange = 'shown';
      this.resetView();
    });
    const failed = (what: string) => (error: unknown): void => {
      if (current()) this.tagsInfo.append(paragraph(`No ${what}: ${error instanceof Error ? error.message : String(error)}`));
    };
    await Promise.all([tags?.catch(failed('DICOM tags')), pixels?.catch(failed('full-range pixels (window/level works on the 8-bit image)'))]);
  }

  private clearFullRange(): void {
    this.fullRangeRequest++;
    this.windowed.clear();
    this.tagsInfo.replaceChildren();
    delete this.root.dataset.fullRange;
  }

  private summary(detail: DetailReply, item: GalleryItem | undefined): HTMLElement[] {
    const rows: [string, string][] = [[item?.findings ? 'Findings' : 'Label', item ? labelText(item).text : 'unlabelled']];
    if (item?.prediction) rows.push(['Predicted', `${item.prediction.predicted} (${(item.prediction.confidence * 100).toFixed(1)}%)`]);
    if (item?.issueScore !== undefined) rows.push(['Issue score', item.issueScore.toFixed(3)]);
    rows.push(['Flagged', item?.flagged ? 'yes ⚑' : 'no']);
    if (detail.metadata.burned_in_annotation === 'YES') rows.push(['Burned-in annotation', '⚠ YES: the pixels may show identifying text']);
    if (item?.note) rows.push(['Note', item.note]);
    if (detail.width) rows.push(['Size', `${detail.width} × ${detail.height} ${detail.format?.toUpperCase() ?? ''}`]);
    return [heading('Item'), table(rows)];
  }

  private probabilities(detail: DetailReply): HTMLElement[] {
    if (detail.probabilities.length === 0) return [heading('Probabilities'), paragraph('No model has scored this image yet.')];
    const list = element('div', 'probabilities');
    for (const { label, probability } of detail.probabilities) {
      const row = element('div', 'probability');
      const name = element('span', 'name');
      name.textContent = label;
      const bar = element('div', 'confidence');
      const fill = element('div', 'fill');
      fill.style.width = `${(probability * 100).toFixed(1)}%`;
      bar.append(fill);
      const value = element('span', 'value');
      value.textContent = `${(probability * 100).toFixed(1)}%`;
      row.append(name, bar, value);
      list.append(row);
    }
    return [heading('Probabilities'), list];
  }

  private history(entries: readonly HistoryEntry[]): HTMLElement[] {
    if (entries.length === 0) return [heading('History'), paragraph('No edits in the journal.')];
    const list = element('ol', 'history');
    for (const entry of [...entries].reverse()) {
      const row = element('li', '');
      const when = new Date(entry.time);
      const change = entry.kind === 'flag' || entry.kind === 'unflag' ? entry.kind : `${entry.kind}: ${show(entry.old)} → ${show(entry.new)}`;
      const shown = entry.model ? ` (model ${entry.model} said ${((entry.confidence ?? 0) * 100).toFixed(0)}%)` : '';
      row.textContent = `${when.toLocaleString()} · ${entry.user} · ${change}${entry.via ? ` (${entry.via})` : ''}${shown}`;
      list.append(row);
    }
    return [heading('History'), list];
  }

  private metadata(detail: DetailReply): HTMLElement[] {
    const rows = Object.entries(detail.metadata);
    return rows.length ? [heading('Metadata'), table(rows)] : [];
  }

  /** The SVG filter whose transfer functions implement window/level on the image. */
  private windowLevelFilter(): SVGSVGElement {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'svg-defs');
    svg.setAttribute('aria-hidden', 'true');
    const filter = document.createElementNS(SVG, 'filter');
    filter.id = 'window-level';
    filter.setAttribute('color-interpolation-filters', 'sRGB');
    const transferNode = document.createElementNS(SVG, 'feComponentTransfer');
    for (const channel of ['R', 'G', 'B']) {
      const func = document.createElementNS(SVG, `feFunc${channel}`);
      func.setAttribute('type', 'linear');
      this.funcs.push(func);
      transferNode.append(func);
    }
    filter.append(transferNode);
    svg.append(filter);
    this.image.style.filter = 'url(#window-level)';
    return svg;
  }

  /** The size of what is shown: the full-range canvas once it is there, else the image. */
  private contentSize(): { width: number; height: number } {
    return this.windowed.id !== undefined ? this.windowed : { width: this.image.naturalWidth, height: this.image.naturalHeight };
  }

  private resetView(): void {
    const { width, height } = this.contentSize();
    if (width) this.view = fitView(width, height, this.stage.clientWidth, this.stage.clientHeight);
    this.wl = this.windowed.defaultLevel ?? FULL_WINDOW;
    this.apply();
  }

  private apply(): void {
    const transform = `translate(${this.view.x}px, ${this.view.y}px) scale(${this.view.scale})`;
    this.image.style.transform = transform;
    this.windowed.canvas.style.transform = transform;
    // The map covers the whole image (the backbone sees it squashed to a square): same size, same transform.
    const { width, height } = this.contentSize();
    this.saliency.place(width, height, transform);
    this.region.place();
    const modality = this.windowed.windowOf(this.wl);
    if (modality) {
      this.windowed.draw(this.wl);
      this.readout.textContent = `zoom ${(this.view.scale * 100).toFixed(0)}% · W ${Math.round(modality.width)} L ${Math.round(modality.centre)} (full range)`;
      return;
    }
    const { slope, intercept } = transfer(this.wl);
    for (const func of this.funcs) {
      func.setAttribute('slope', slope.toFixed(4));
      func.setAttribute('intercept', intercept.toFixed(4));
    }
    this.readout.textContent = `zoom ${(this.view.scale * 100).toFixed(0)}% · W ${(this.wl.window * 100).toFixed(0)} L ${(this.wl.level * 100).toFixed(0)}`;
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const box = this.stage.getBoundingClientRect();
    this.view = zoomAt(this.view, Math.exp(-event.deltaY / 500), event.clientX - box.left, event.clientY - box.top);
    this.apply();
  }

  private onPointerDown(event: PointerEvent): void {
    const windowing = event.button === 2 || event.shiftKey;
    if (event.button !== 0 && event.button !== 2) return;
    event.preventDefault();
    this.stage.setPointerCapture(event.pointerId);
    if (this.region.pointerDown(event)) return;
    const start = { x: event.clientX, y: event.clientY, view: this.view, wl: this.wl };
    const span = Math.max(200, this.stage.clientWidth / 2);
    const move = (e: PointerEvent): void => {
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      if (windowing) this.wl = dragWindowLevel(start.wl, dx, dy, span);
      else this.view = { ...start.view, x: start.view.x + dx, y: start.view.y + dy };
      this.apply();
    };
    const up = (): void => {
      this.stage.removeEventListener('pointermove', move);
      this.stage.removeEventListener('pointerup', up);
      this.stage.removeEventListener('pointercancel', up);
    };
    this.stage.addEventListener('pointermove', move);
    this.stage.addEventListener('pointerup', up);
    this.stage.addEventListener('pointercancel', up);
  }
}

function show(value: string | boolean | null): string {
  return value === null ? 'unlabelled' : String(value);
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const node = document.createElement('button');
  node.textContent = label;
  node.addEventListener('click', onClick);
  return node;
}

function table(rows: readonly [string, string][]): HTMLElement {
  const node = element('table', 'facts');
  for (const [key, value] of rows) {
    const row = node.insertRow();
    const th = document.createElement('th');
    th.textContent = key;
    const td = row.insertCell();
    td.textContent = value;
    row.prepend(th);
  }
  return node;
}
