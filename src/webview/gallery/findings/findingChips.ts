// The findings of a multi-label tile as small chips: green where the label and the model agree, red where they
// do not, amber to resolve (uncertain), grey without a model. Text and a description carry the same, so colour is
// never the only cue. Chip nodes are reused in place: tiles are re-filled every frame while scrolling.
import { markDescription, markText } from './findingMarks';
import type { FindingMark } from './findingMarks';

/** Chips after this many are summed up as "+N": a tile has room for a line or two. */
const MAX_CHIPS = 4;

export function renderChips(container: HTMLElement, marks: readonly FindingMark[]): void {
  const shown = marks.slice(0, MAX_CHIPS);
  const extra = marks.length - shown.length;
  const wanted = shown.length + (extra > 0 ? 1 : 0);
  while (container.children.length > wanted) container.lastElementChild!.remove();
  while (container.children.length < wanted) container.append(document.createElement('span'));
  shown.forEach((mark, i) => {
    const chip = container.children[i] as HTMLElement;
    set(chip, `chip ${mark.agreement ?? 'unscored'}${mark.label === 'negative' ? ' model-only' : ''}`, markText(mark), markDescription(mark));
  });
  if (extra > 0) {
    const rest = marks.slice(MAX_CHIPS).map((mark) => markText(mark)).join(', ');
    set(container.children[shown.length] as HTMLElement, 'chip more', `+${extra}`, rest);
  }
}

function set(chip: HTMLElement, className: string, text: string, description: string): void {
  if (chip.className !== className) chip.className = className;
  if (chip.textContent !== text) chip.textContent = text;
  if (chip.title !== description) {
    chip.title = description;
    chip.setAttribute('aria-label', description);
  }
}
