// A range filter of two percent inputs ("Confidence [0]–[100] %"), reported as 0…1 when either changes.
import { element } from './tile';

export interface PercentRange {
  root: HTMLLabelElement;
  min: HTMLInputElement;
  max: HTMLInputElement;
  /** Shows a 0…1 range. */
  show(min: number, max: number): void;
}

export function percentRange(prefix: string, what: string, title: string, onChange: (min: number, max: number) => void): PercentRange {
  const root = element('label', 'range');
  root.title = title;
  const min = document.createElement('input');
  const max = document.createElement('input');
  for (const input of [min, max]) {
    Object.assign(input, { type: 'number', min: '0', max: '100', step: '5' });
    input.addEventListener('change', () => onChange(percent(min, 0), percent(max, 1)));
  }
  min.setAttribute('aria-label', `Lowest ${what}, %`);
  max.setAttribute('aria-label', `Highest ${what}, %`);
  root.append(prefix, min, '–', max, '%');
  return {
    root,
    min,
    max,
    show: (low, high) => {
      min.value = String(Math.round(low * 100));
      max.value = String(Math.round(high * 100));
    },
  };
}

function percent(input: HTMLInputElement, fallback: number): number {
  const value = Number(input.value);
  return Number.isFinite(value) && input.value !== '' ? Math.min(1, Math.max(0, value / 100)) : fallback;
}
