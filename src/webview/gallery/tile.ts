// One tile of the grid. Names and labels go in through `textContent`, never as HTML. Agreement is shown by the
// frame colour and by an icon with a text alternative, so colour is never the only cue.
import type { GalleryItem } from '../../shared/protocol';
import { agrees } from './filters';
import { renderChips } from './findings/findingChips';
import { findingModel } from './findings/findingFilter';
import { tileMarks } from './findings/findingMarks';
import { readersLine } from './readers/readingText';

export interface TileView {
  focused: boolean;
  selected: boolean;
  /** The image to show: the thumbnail once it exists, else the original; none for an unreadable item. */
  url: string | undefined;
  /** `url` is the full-size original (no thumbnail yet). */
  original: boolean;
}

/**
 * While the grid scrolls, an original loads only once its tile has stayed this long: a fling through a folder
 * without thumbnails must not queue hundreds of full-size reads ahead of everything else the webview loads (the
 * next panel's script included). The thumbnail, asked for at once, usually arrives first.
 */
const ORIGINAL_SETTLE_MS = 300;

/** The nodes of one pooled tile, built once and updated in place: scrolling re-fills tiles every frame. */
interface TileParts {
  img: HTMLImageElement;
  /** The image URL `render` chose but `loadTileImage` has not applied yet. */
  pending: string | undefined;
  pendingOriginal: boolean;
  /** Waits `ORIGINAL_SETTLE_MS` before an original is loaded. */
  timer: ReturnType<typeof setTimeout> | undefined;
  broken: HTMLElement;
  badges: HTMLElement;
  agreement: HTMLElement;
  changed: HTMLElement;
  issue: HTMLElement;
  flag: HTMLElement;
  burnedIn: HTMLElement;
  name: HTMLElement;
  label: HTMLElement;
  /** A multi-label item's findings, as chips. */
  chips: HTMLElement;
  predicted: HTMLElement;
  /** A reading study's readers and decision. */
  readers: HTMLElement;
  readersDisagree: HTMLElement;
  bar: HTMLElement;
  fill: HTMLElement;
}

const parts = new WeakMap<HTMLElement, TileParts>();

/**
 * Shows `item` on a pooled tile. A new image is only chosen here, not loaded: during a fast scroll a tile shows an
 * item for one frame, and a load started then costs main-thread time and decoded-image memory for nothing.
 */
export function renderTile(tile: HTMLElement, item: GalleryItem, view: TileView): void {
  const p = parts.get(tile) ?? build(tile);
  const agreement = agrees(item);
  tile.className = [
    'tile',
    agreement === true ? 'agree' : agreement === false ? 'disagree' : '',
    view.focused ? 'focused' : '',
    view.selected ? 'selected' : '',
    item.flagged ? 'flagged' : '',
    item.reading?.blinded ? 'blinded' : '',
  ]
    .filter(Boolean)
    .join(' ');
  tile.dataset.id = item.id;
  tile.setAttribute('aria-selected', String(view.selected));
  tile.title = describe(item);

  const url = view.url;
  p.img.hidden = !url;
  p.broken.hidden = !!url;
  if (url) {
    if (p.img.getAttribute('src') !== url) {
      // A recycled tile must never show the previous item's X-ray under this item's name: placeholder until loaded.
      p.img.classList.add('loading');
      setPending(p, url, view.original);
    } else if (p.pending !== undefined) {
      setPending(p, undefined);
      if (p.img.complete) p.img.classList.remove('loading');
    }
    p.img.alt = item.id;
  } else {
    setPending(p, undefined);
    p.img.removeAttribute('src');
    setText(p.broken, item.error ?? 'unreadable');
  }

  // The same badge nodes re-attached, not rebuilt: rebuilding them per render left thousands of nodes to collect.
  if (agreement !== undefined) {
    p.agreement.className = `badge ${agreement ? 'agree-icon' : 'disagree-icon'}`;
    setText(p.agreement, agreement ? '✓' : '✗');
    label(p.agreement, agreement ? 'prediction agrees with the label' : 'prediction disagrees with the label');
  }
  if (item.issueScore !== undefined) setText(p.issue, `issue ${item.issueScore.toFixed(2)}`);
  const badges = [
    agreement !== undefined ? p.agreement : undefined,
    item.prediction?.changed ? p.changed : undefined,
    item.issueScore !== undefined ? p.issue : undefined,
    item.flagged ? p.flag : undefined,
    item.reading?.disagree ? p.readersDisagree : undefined,
    burnedIn(item) ? p.burnedIn : undefined,
  ].filter((badge): badge is HTMLElement => badge !== undefined);
  const current = p.badges.children;
  if (badges.length !== current.length || badges.some((badge, k) => current[k] !== badge)) p.badges.replaceChildren(...badges);

  setText(p.name, item.id.slice(item.id.lastIndexOf('/') + 1));
  const shown = labelText(item);
  p.label.className = shown.unlabelled ? 'label unlabelled' : 'label';
  setText(p.label, shown.text);
  // With a findings model the chips say it all; "No finding" stays when none matters.
  const marks = item.findings && item.findingProbs ? tileMarks(item, findingModel()) : [];
  p.label.hidden = marks.length > 0;
  renderChips(p.chips, marks);
  const readers = readersLine(item);
  p.readers.hidden = readers === '';
  setText(p.readers, readers);
  setText(p.predicted, item.prediction ? `→ ${item.prediction.predicted} ${Math.round(item.prediction.confidence * 100)}%` : '');
  p.bar.hidden = !item.prediction;
  p.fill.style.width = `${Math.round((item.prediction?.confidence ?? 0) * 100)}%`;
}

/**
 * The label line: the class, or for a multi-label item its positive findings and its uncertain ones marked `?`
 * ("No finding" when none).
 */
export function labelText(item: GalleryItem): { text: string; unlabelled: boolean } {
  if (item.reading?.blinded) return { text: 'to read', unlabelled: true };
  if (item.findings) {
    const names = [...item.findings.positive, ...item.findings.uncertain.map((name) => `${name}?`)];
    return { text: names.length ? names.join(' · ') : 'No finding', unlabelled: false };
  }
  return { text: item.label ?? 'unlabelled', unlabelled: item.label === null };
}

/** Starts loading the image `renderTile` chose (the tile stayed on screen); while `scrolling`, an original waits longer. */
export function loadTileImage(tile: HTMLElement, scrolling: boolean): void {
  const p = parts.get(tile);
  if (p?.pending === undefined || p.timer !== undefined) return;
  const url = p.pending;
  const apply = (): void => {
    p.timer = undefined;
    if (p.pending !== url) return;
    p.img.src = url;
    p.pending = undefined;
  };
  if (p.pendingOriginal && scrolling) p.timer = setTimeout(apply, ORIGINAL_SETTLE_MS);
  else apply();
}

function setPending(p: TileParts, url: string | undefined, original = false): void {
  clearTimeout(p.timer);
  p.timer = undefined;
  p.pending = url;
  p.pendingOriginal = original;
}

/** Lets go of the tile's image so its decoded pixels can be freed (the tile is hidden or removed). */
export function releaseTileImage(tile: HTMLElement): void {
  const p = parts.get(tile);
  if (!p) return;
  setPending(p, undefined);
  p.img.classList.add('loading');
  p.img.removeAttribute('src');
}

function build(tile: HTMLElement): TileParts {
  tile.setAttribute('role', 'gridcell');
  const figure = element('div', 'figure');
  const img = document.createElement('img');
  img.decoding = 'async';
  img.draggable = false;
  const broken = element('div', 'broken');
  const badges = element('div', 'badges');
  const agreement = element('span', 'badge');
  const changed = label(text('span', 'badge changed', 'Δ'), 'prediction changed by the last retrain');
  const issue = label(element('span', 'badge issue'), 'label-issue score');
  const flag = label(text('span', 'badge flag', '⚑'), 'flagged');
  // DICOM BurnedInAnnotation = YES: identifying text may be in the pixels themselves.
  const burned = label(text('span', 'badge burned-in', '⚠ text'), 'burned-in annotation: the pixels may show identifying text');
  figure.append(img, broken, badges);
  const caption = element('div', 'caption');
  const name = element('span', 'name');
  const line = element('div', 'line');
  const labelNode = element('span', 'label');
  const predicted = element('span', 'predicted');
  const chips = element('span', 'chips');
  line.append(labelNode, chips, predicted);
  const readers = element('div', 'readers');
  const readersDisagree = label(text('span', 'badge readers-disagree', '≠'), 'the readers disagree: to adjudicate');
  const bar = element('div', 'confidence');
  const fill = element('div', 'fill');
  bar.append(fill);
  caption.append(name, line, readers, bar);
  tile.replaceChildren(figure, caption);
  const built: TileParts = { img, pending: undefined, pendingOriginal: false, timer: undefined, broken, badges, agreement, changed, issue, flag, burnedIn: burned, name, label: labelNode, chips, predicted, readers, readersDisagree, bar, fill };
  // An earlier item's image finishing its load must not show under this item's name: only the image wanted shows.
  const loaded = (): void => {
    if (built.pending === undefined) img.classList.remove('loading');
  };
  img.addEventListener('load', loaded);
  img.addEventListener('error', loaded);
  parts.set(tile, built);
  return built;
}

function describe(item: GalleryItem): string {
  // Blinded: a class folder in the id would tell the reader the label.
  const name = item.reading?.blinded ? item.id.slice(item.id.lastIndexOf('/') + 1) : item.id;
  const parts = [name, item.findings ? `findings: ${labelText(item).text}` : `label: ${item.label ?? 'unlabelled'}`];
  if (item.prediction) parts.push(`predicted: ${item.prediction.predicted} (${(item.prediction.confidence * 100).toFixed(1)}%)`);
  if (item.flagged) parts.push('flagged');
  if (burnedIn(item)) parts.push('burned-in annotation (identifying text may be in the pixels)');
  if (item.note) parts.push(`note: ${item.note}`);
  const readers = readersLine(item);
  if (readers) parts.push(`readers: ${readers}`);
  if (item.reading?.decision) parts.push(`decision: ${item.reading.decision.label} by ${item.reading.decision.by}: ${item.reading.decision.reason}`);
  return parts.join('\n');
}

function burnedIn(item: GalleryItem): boolean {
  return item.metadata?.burned_in_annotation === 'YES';
}

function label(node: HTMLElement, description: string): HTMLElement {
  if (node.title !== description) {
    node.setAttribute('aria-label', description);
    node.title = description;
  }
  return node;
}

/** Writes text only when it differs: every `textContent` write replaces the text node. */
function setText(node: HTMLElement, value: string): void {
  if (node.textContent !== value) node.textContent = value;
}

function text(tag: keyof HTMLElementTagNameMap, className: string, content: string): HTMLElement {
  const node = element(tag, className);
  node.textContent = content;
  return node;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
