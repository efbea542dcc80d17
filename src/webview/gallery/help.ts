// The help overlay (`?`): every shortcut, from the same table the keyboard handling uses.
import { SHORTCUTS } from './keyboard';
import { element } from './tile';

export class HelpOverlay {
  readonly root = element('div', 'help');

  constructor() {
    this.root.hidden = true;
    this.root.setAttribute('role', 'dialog');
    this.root.setAttribute('aria-label', 'Keyboard shortcuts');
    const panel = element('div', 'help-panel');
    const heading = element('h2', '');
    heading.textContent = 'Keyboard shortcuts';
    const table = element('table', 'facts');
    for (const { keys, does } of SHORTCUTS) {
      const row = table.insertRow();
      const th = document.createElement('th');
      th.textContent = keys;
      row.append(th);
      row.insertCell().textContent = does;
    }
    const close = element('p', 'muted');
    close.textContent = 'Press ? or Esc to close. In the detail view: wheel zooms, drag pans, right- or Shift-drag sets window/level, double-click resets.';
    panel.append(heading, table, close);
    this.root.append(panel);
    this.root.addEventListener('click', (event) => {
      if (event.target === this.root) this.toggle();
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  toggle(): void {
    this.root.hidden = !this.root.hidden;
  }
}
