// The gallery's fixed parts above the grid: the title and counts line, the keys hint, the tile-size slider, the
// issue-queue and help buttons, the loading bar, the banner for errors, the issue-queue line and the list line.
import type { ScanProgress } from '../../shared/protocol';
import { element } from './tile';

export class Toolbar {
  readonly header = element('header', 'toolbar');
  readonly title = element('h1', 'title');
  readonly status = element('div', 'counts');
  readonly keysHint = element('div', 'keys');
  readonly sizeInput = document.createElement('input');
  readonly queueButton = document.createElement('button');
  readonly helpButton = document.createElement('button');
  /** Items still arriving or the folder still being scanned: a bar under the toolbar and words in the counts line. */
  readonly loading = element('div', 'loading');
  private readonly loadingFill = element('div', 'loading-fill');
  readonly banner = element('div', 'banner');
  private readonly bannerText = element('span', '');
  readonly queueBar = element('div', 'issue-queue');
  /** The line over a list the host picked (more like this, the map's selection, next to label), with its way out. */
  readonly listBar = element('div', 'item-list');
  readonly listText = element('span', '');
  readonly listClose = document.createElement('button');

  constructor(tileSize: number) {
    this.status.setAttribute('aria-live', 'polite');
    const sizeLabel = element('label', 'tile-size');
    sizeLabel.textContent = 'Tile size ';
    Object.assign(this.sizeInput, { type: 'range', min: '96', max: '360', step: '12', value: String(tileSize) });
    sizeLabel.append(this.sizeInput);
    this.queueButton.title = 'Review the label issues of the last audit one by one (i)';
    this.helpButton.textContent = '? Keys';
    this.helpButton.title = 'Keyboard shortcuts (?)';
    this.header.append(this.title, this.status, this.keysHint, sizeLabel, this.queueButton, this.helpButton);

    this.loading.setAttribute('role', 'progressbar');
    this.loading.setAttribute('aria-label', 'Loading the dataset');
    this.loading.append(this.loadingFill);
    this.loading.hidden = true;
    // gallery.css belongs to the grid's styles; these lines are styled here (CSSOM styles are allowed by the CSP).
    Object.assign(this.loading.style, { height: '3px', background: 'var(--vscode-editorWidget-background, transparent)' });
    Object.assign(this.loadingFill.style, { height: '100%', width: '0%', background: 'var(--vscode-progressBar-background, var(--vscode-focusBorder))' });

    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    const close = document.createElement('button');
    close.textContent = 'Dismiss';
    close.addEventListener('click', () => (this.banner.hidden = true));
    this.banner.append(this.bannerText, close);

    for (const bar of [this.queueBar, this.listBar]) {
      bar.setAttribute('role', 'status');
      Object.assign(bar.style, {
        padding: '6px 12px',
        fontWeight: '600',
        background: 'var(--vscode-editorInfo-background, var(--vscode-textBlockQuote-background))',
        borderTop: '1px solid var(--vscode-editorInfo-foreground, var(--vscode-focusBorder))',
        borderBottom: '1px solid var(--vscode-editorInfo-foreground, var(--vscode-focusBorder))',
      });
    }
    this.listClose.textContent = 'Show all (x)';
    this.listClose.style.marginLeft = '12px';
    this.listBar.append(this.listText, this.listClose);
    this.listBar.style.display = 'none';
  }

  /** The parts in document order, to append to the body around the filter bar. */
  get above(): HTMLElement[] {
    return [this.header, this.loading];
  }

  get below(): HTMLElement[] {
    return [this.banner, this.queueBar, this.listBar];
  }

  showError(text: string): void {
    this.bannerText.textContent = text;
    this.banner.hidden = false;
  }

  /** The bar shows the scan while there is one, else the items still arriving; hidden when all is there. */
  showLoading(received: number, total: number, scan: ScanProgress | undefined): string | undefined {
    const [done, of] = scan ? [scan.done, scan.total] : [received, total];
    const busy = scan !== undefined || received < total;
    this.loading.hidden = !busy;
    if (!busy) return undefined;
    this.loadingFill.style.width = `${of ? Math.round((100 * done) / of) : 0}%`;
    this.loading.setAttribute('aria-valuenow', String(done));
    this.loading.setAttribute('aria-valuemax', String(of));
    const count = `${done.toLocaleString('en-US')} of ${of.toLocaleString('en-US')}`;
    if (scan?.phase === 'reading') return `scanning the folder: ${count} files read`;
    if (scan?.phase === 'checking') return `checking the folder for changes: ${count}`;
    return `loading: ${count} items`;
  }
}
