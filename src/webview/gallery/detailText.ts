// The detail view's side panel text: section headings and muted paragraphs, set through textContent.
import { element } from './tile';

export function heading(text: string): HTMLElement {
  const node = element('h3', '');
  node.textContent = text;
  return node;
}

export function paragraph(text: string): HTMLElement {
  const node = element('p', 'muted');
  node.textContent = text;
  return node;
}
