// The detail view's Grad-CAM overlay: its toggle, the heat map over the image (a small canvas stretched by the image's
// own transform), and its side-panel section. The host computes the map in a worker; on a multi-label item it is one
// finding's (the one picked, else the one the model scores highest).
import type { DetailReply, FromWebviewBody, SaliencyReply, ToWebviewBody } from '../../shared/protocol';
import { heading, paragraph } from './detailText';
import { explainedByDefault, markExplained } from './findings/findingDetail';
import { heatPixels } from './heatmap';
import { element } from './tile';

interface OverlayHost {
  /** The dialog: `data-saliency` on it tells tests (and styles) the overlay's state. */
  root: HTMLElement;
  shownId: () => string | undefined;
  /** A map was drawn: place it over the image. */
  drawn: () => void;
}

export class SaliencyOverlay {
  readonly button = document.createElement('button');
  readonly heat = document.createElement('canvas');
  readonly info = element('div', 'saliency-info');
  /** The overlay is wanted (stays on from item to item until toggled off). */
  private on = false;
  private available = false;
  /** A multi-label item's findings rows, and the finding whose evidence is asked for. */
  private findingRows: DetailReply['findings'];
  private explained: string | undefined;
  /** Counts requests, so a late reply for an item no longer shown is dropped. */
  private requests = 0;

  constructor(
    private readonly request: (body: FromWebviewBody) => Promise<ToWebviewBody>,
    private readonly host: OverlayHost,
  ) {
    this.button.className = 'saliency';
    this.button.textContent = 'Saliency overlay';
    this.button.setAttribute('aria-pressed', 'false');
    this.button.addEventListener('click', () => this.toggle());
    this.heat.className = 'saliency-overlay';
    this.heat.hidden = true;
    Object.assign(this.heat.style, { position: 'absolute', left: '0', top: '0', transformOrigin: '0 0', pointerEvents: 'none' });
  }

  /** A detail shown (or shown again): `viewable` when an image is there to lie over. */
  show(detail: DetailReply, viewable: boolean): void {
    this.findingRows = detail.findings;
    if (!detail.findings?.some((row) => row.finding === this.explained)) this.explained = undefined;
    this.available = detail.saliencyAvailable && viewable;
    this.button.disabled = !this.available;
    this.button.title = this.available
      ? detail.findings
        ? 'Saliency overlay (Grad-CAM of one finding, the highest scored unless you press its CAM button): where the findings model found its evidence'
        : 'Saliency overlay (Grad-CAM of the predicted class): where the model found its evidence'
      : 'Saliency overlay (Grad-CAM): needs a trained model that has scored this image (run Retrain Model)';
    // Asked again for the same item too: the model may have changed (the host caches per model version).
    if (this.on && this.available) void this.load(detail.id);
    else this.clear();
  }

  /** Shows the evidence for one finding of a multi-label item (its row's CAM button). */
  explain(finding: string): void {
    this.explained = finding;
    const id = this.host.shownId();
    if (!this.on) this.toggle();
    else if (id !== undefined && this.available) void this.load(id);
  }

  /** Covers the whole image (the backbone sees it squashed to a square): its size, its transform. */
  place(width: number, height: number, transform: string): void {
    this.heat.style.width = `${width}px`;
    this.heat.style.height = `${height}px`;
    this.heat.style.transform = transform;
  }

  clear(): void {
    this.requests++;
    this.heat.hidden = true;
    this.setState('off', []);
  }

  private toggle(): void {
    this.on = !this.on;
    this.button.setAttribute('aria-pressed', String(this.on));
    this.button.textContent = this.on ? 'Hide saliency' : 'Saliency overlay';
    const id = this.host.shownId();
    if (this.on && id !== undefined && this.available) void this.load(id);
    else this.clear();
  }

  private async load(id: string): Promise<void> {
    const request = ++this.requests;
    const current = (): boolean => request === this.requests && id === this.host.shownId() && this.on;
    if (this.heat.hidden) this.setState('loading', [heading('Saliency'), paragraph('Computing Grad-CAM…')]);
    try {
      const finding = this.findingRows && (this.explained ?? explainedByDefault(this.findingRows));
      markExplained(this.host.root, finding);
      const reply = await this.request({ type: 'saliency', id, ...(finding ? { finding } : {}) });
      if (reply.type !== 'saliency') throw new Error(`unexpected reply ${reply.type}`);
      if (current()) this.draw(reply);
    } catch (error) {
      if (!current()) return;
      this.heat.hidden = true;
      this.setState('error', [heading('Saliency'), paragraph(`No saliency map: ${error instanceof Error ? error.message : String(error)}`)]);
    }
  }

  private draw(reply: SaliencyReply): void {
    const { width, height, values } = reply;
    if (width < 1 || height < 1 || values.length !== width * height) throw new Error(`the map has ${values.length} values for ${width} × ${height}`);
    this.heat.width = width;
    this.heat.height = height;
    this.heat.getContext('2d')?.putImageData(new ImageData(heatPixels(values), width, height), 0, 0);
    this.heat.hidden = false;
    this.host.drawn();
    const label = paragraph(`Grad-CAM for ${reply.className} (${reply.model === 'findings' ? 'findings model' : 'model'} v${reply.modelVersion})`);
    label.className = 'saliency-label';
    this.setState('shown', [heading('Saliency'), label, legend()]);
  }

  private setState(state: 'off' | 'loading' | 'shown' | 'error', content: HTMLElement[]): void {
    this.host.root.dataset.saliency = state;
    this.info.replaceChildren(...content);
  }
}

/** The colour scale of the overlay, drawn with its own colours and opacity over mid grey (an average image). */
function legend(): HTMLElement {
  const steps = 64;
  const scale = document.createElement('canvas');
  scale.width = steps;
  scale.height = 1;
  const context = scale.getContext('2d');
  if (context) {
    context.fillStyle = '#808080';
    context.fillRect(0, 0, steps, 1);
    const ramp = document.createElement('canvas');
    ramp.width = steps;
    ramp.height = 1;
    ramp.getContext('2d')?.putImageData(new ImageData(heatPixels(Array.from({ length: steps }, (_, i) => i / (steps - 1))), steps, 1), 0, 0);
    context.drawImage(ramp, 0, 0);
  }
  Object.assign(scale.style, { width: '100%', height: '10px', display: 'block' });
  const ends = element('div', 'saliency-scale');
  Object.assign(ends.style, { display: 'flex', justifyContent: 'space-between' });
  const low = element('span', 'muted');
  low.textContent = 'no evidence';
  const high = element('span', 'muted');
  high.textContent = 'strongest';
  ends.append(low, high);
  const node = element('div', 'saliency-legend');
  node.setAttribute('aria-label', 'Saliency colour scale from no evidence (transparent) to strongest (dark red)');
  node.append(scale, ends);
  return node;
}
