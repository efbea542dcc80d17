// One tile of the grid. Names and labels go in through `textContent`, never as HTML. Agreement is shown by the
// frame colour and by an icon with a text alternative, so colour is never the only cue.
import type { GalleryItem } from '../../shared/protocol';
import { agrees } from './filters';

export interface TileView {
  focused: boolean;
  selected: boolean;
}

export function renderTile(tile: HTMLElement, item: GalleryItem, view: TileView): void {
  tile.replaceChildren();
  const agreement = agrees(item);
  tile.className = [
    'tile',
    agreement === true ? 'agree' : agreement === false ? 'disagree' : '',
    view.focused ? 'focused' : '',
    view.selected ? 'selected' : '',
    item.flagged ? 'flagged' : '',
  ]
    .filter(Boolean)
    .join(' ');
  tile.dataset.id = item.id;
  tile.setAttribute('role', 'gridcell');
  tile.setAttribute('aria-selected', String(view.selected));
  tile.title = describe(item);

  const figure = element('div', 'figure');
  const url = item.thumbUrl ?? item.imageUrl;
  if (url) {
    const img = document.createElement('img');
    img.decoding = 'async';
    img.alt = item.id;
    img.draggable = false;
    img.src = url;
    figure.append(img);
  } else {
    figure.append(text('div', 'broken', item.error ?? 'unreadable'));
  }
  const badges = element('div', 'badges');
  if (agreement !== undefined) {
    const icon = text('span', `badge ${agreement ? 'agree-icon' : 'disagree-icon'}`, agreement ? '✓' : '✗');
    icon.setAttribute('aria-label', agreement ? 'prediction agrees with the label' : 'prediction disagrees with the label');
    badges.append(icon);
  }
  if (item.prediction?.changed) badges.append(labelled(text('span', 'badge changed', 'Δ'), 'prediction changed by the last retrain'));
  if (item.issueScore !== undefined) badges.append(labelled(text('span', 'badge issue', `issue ${item.issueScore.toFixed(2)}`), 'label-issue score'));
  if (item.flagged) badges.append(labelled(text('span', 'badge flag', '⚑'), 'flagged'));
  figure.append(badges);
  tile.append(figure);

  const caption = element('div', 'caption');
  caption.append(text('span', 'name', item.id.slice(item.id.lastIndexOf('/') + 1)));
  const line = element('div', 'line');
  line.append(text('span', item.label === null ? 'label unlabelled' : 'label', item.label ?? 'unlabelled'));
  if (item.prediction) {
    const { predicted, confidence } = item.prediction;
    line.append(text('span', 'predicted', `→ ${predicted} ${Math.round(confidence * 100)}%`));
  }
  caption.append(line);
  const bar = element('div', 'confidence');
  if (item.prediction) {
    const fill = element('div', 'fill');
    fill.style.width = `${Math.round(item.prediction.confidence * 100)}%`;
    bar.append(fill);
  }
  caption.append(bar);
  tile.append(caption);
}

function describe(item: GalleryItem): string {
  const parts = [item.id, `label: ${item.label ?? 'unlabelled'}`];
  if (item.prediction) parts.push(`predicted: ${item.prediction.predicted} (${(item.prediction.confidence * 100).toFixed(1)}%)`);
  if (item.flagged) parts.push('flagged');
  if (item.note) parts.push(`note: ${item.note}`);
  return parts.join('\n');
}

function labelled(node: HTMLElement, label: string): HTMLElement {
  node.setAttribute('aria-label', label);
  node.title = label;
  return node;
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
