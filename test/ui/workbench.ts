// Drives the real VS Code workbench in Chromium as a person would: the command palette, then the gallery webview
// inside its iframes. Screenshots go to test-results/screenshots/ (ignored by git).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { PROJECT_ROOT, VsCodeHost, launchBrowser, openWorkbench } from '../host/vscodeHost';
import { mirrorFolder } from '../support/mirror';
import type { Mirror } from '../support/mirror';

export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

/** How the palette shows a contributed command: `X-Ray Curator: <title>`. */
function paletteTitle(id: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string; title: string; category: string }[] } };
  const command = manifest.contributes.commands.find((c) => c.command === id);
  if (!command) throw new Error(`package.json contributes no command ${id}`);
  return `${command.category}: ${command.title}`;
}

/** The longest any single wait in a UI test may take: a hang fails within it, with artifacts saved (see failureHook). */
export const WAIT_MS = 120_000;

export class Workbench {
  /** Open workbenches, for the failure hook. */
  static readonly open_ = new Set<Workbench>();

  private constructor(
    readonly host: VsCodeHost,
    readonly browser: Browser,
    readonly page: Page,
    /** The folder the workbench opened (the mirror's root when it opened a mirror). */
    readonly root: string,
    private readonly mirror: Mirror | undefined,
  ) {}

  /**
   * The workbench on `folder`. `mirror` opens a mirror of it instead (see `mirrorFolder`; `'read-only'` as a reference
   * share), removed by `close`: what a test opens from ../shared must be a mirror, since opening writes state.
   * `vsix` installs that packaged extension into the server instead of loading this project as the development one.
   */
  static async open(
    folder: string,
    options: { trusted?: boolean; settings?: Record<string, unknown>; mirror?: 'writable' | 'read-only'; vsix?: string } = {},
  ): Promise<Workbench> {
    const mirror = options.mirror ? mirrorFolder(folder, { readOnly: options.mirror === 'read-only' }) : undefined;
    const root = mirror?.root ?? folder;
    const host = await VsCodeHost.start({ trusted: options.trusted, settings: options.settings, isolatedCache: true, installVsix: options.vsix });
    const browser = await launchBrowser();
    const page = await openWorkbench(browser, host.url({ folder: root, extensionDevelopmentPath: options.vsix ? undefined : PROJECT_ROOT }));
    const workbench = new Workbench(host, browser, page, root, mirror);
    Workbench.open_.add(workbench);
    return workbench;
  }

  /**
   * Runs a command from the palette, as typed by a user: by its title, or by its id (`xrayCurator.…`, whose title
   * package.json gives). Retries while the workbench is still starting (the palette can open before the extension
   * host has registered the extension's commands).
   */
  async runCommand(titleOrId: string, attempts = 4): Promise<void> {
    const title = titleOrId.startsWith('xrayCurator.') ? paletteTitle(titleOrId) : titleOrId;
    const input = this.page.locator('.quick-input-widget input');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      // A webview that has the keyboard focus can keep F1 from the workbench: the command center opens the palette too.
      if (!(await input.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false))) {
        await this.page.locator('.command-center .search-label, .command-center').first().click();
        await input.waitFor({ state: 'visible', timeout: 10_000 });
      }
      try {
        // A panel taking the focus (a gallery being revealed) can close the palette while it is typed into: retry.
        await input.fill(`>${title}`, { timeout: 5_000 });
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        await this.page.keyboard.press('Enter');
        return;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (attempt >= attempts) throw error;
      }
    }
  }

  /** Picks the row of the open quick pick that shows `text`. */
  async pick(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  /**
   * Runs a command that opens a quick pick and picks `text` in it. A panel that takes the focus meanwhile (a webview
   * still settling) closes the pick before it is used: the command is run again.
   */
  async runAndPick(titleOrId: string, text: string | RegExp, attempts = 3): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.runCommand(titleOrId);
      try {
        await this.pick(text, 7_500);
        return;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (attempt >= attempts) throw error;
      }
    }
  }

  /**
   * Answers the open quick input: an input box, or VS Code's own file dialog (the one a remote window shows), which
   * takes a typed path (a folder's path ends with `/`) and Enter.
   */
  async answer(value: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    // A file dialog fills in its starting path (in steps) after it shows, overwriting what was typed before: type
    // until the value stays.
    for (let attempt = 0; attempt < 20; attempt++) {
      await input.fill(value);
      await this.page.waitForTimeout(400);
      if ((await input.inputValue()) === value) break;
    }
    await this.page.keyboard.press('Enter');
  }

  /** The content frame of the webview whose document matches `selector` (webviews are nested iframes). */
  async webviewFrame(selector: string, timeoutMs = WAIT_MS / 2): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame.isDetached() || !frame.url().includes('/webview/browser/pre/')) continue;
        // A webview being torn down (a closed panel) can leave a query unanswered for half a minute: ask briefly.
        const count = frame.locator(selector).count().catch(() => 0);
        if (await Promise.race([count, new Promise<number>((resolve) => setTimeout(() => resolve(0), 1000))])) return frame;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no webview showed ${selector} within ${timeoutMs / 1000} s`);
  }

  /**
   * What a researcher does first: Retrain Model from the palette, then Open Dataset Gallery; resolves with the
   * gallery's frame once its tiles show the new model's predictions.
   */
  async retrainAndOpenGallery(): Promise<Frame> {
    await this.runCommand('X-Ray Curator: Retrain Model');
    await this.notification(/model v\d+ trained/);
    await this.runCommand('Notifications: Clear All Notifications');
    await this.runCommand('X-Ray Curator: Open Dataset Gallery');
    const gallery = await this.webviewFrame('.tile img');
    await gallery.waitForFunction(() => [...document.querySelectorAll('.tile .predicted')].some((node) => node.textContent));
    return gallery;
  }

  /**
   * Waits for a notification toast whose text matches, and returns its text. An X-Ray Curator error toast that shows
   * first fails the wait at once, with its text.
   */
  async notification(text: RegExp, timeoutMs = WAIT_MS): Promise<string> {
    const toasts = this.page.locator('.notifications-toasts .notification-list-item');
    const wanted = toasts.filter({ hasText: text }).first();
    const error = toasts.filter({ has: this.page.locator('.codicon-error') }).filter({ hasText: /X-Ray Curator/ }).first();
    await wanted.or(error).waitFor({ state: 'visible', timeout: timeoutMs });
    if (!(await wanted.isVisible())) throw new Error(`instead of a notification matching ${text}: ${(await error.textContent()) ?? ''}`);
    return (await wanted.textContent()) ?? '';
  }

  /** The text of a status-bar item by its id. */
  async statusBarText(id: string): Promise<string> {
    const item = this.page.locator(`.statusbar-item[id="${id}"]`);
    await item.waitFor({ state: 'visible' });
    return (await item.textContent()) ?? '';
  }

  /**
   * A screenshot of the workbench in test-results/screenshots/. `docs` names the README picture it is (in docs/): it
   * is written there too when `XRAY_WRITE_DOCS=1` (`npm run docs`), so every picture the README shows is made by a test.
   */
  async screenshot(name: string, options: { docs?: string } = {}): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    if (options.docs && process.env.XRAY_WRITE_DOCS === '1') fs.copyFileSync(file, path.join(PROJECT_ROOT, 'docs', options.docs));
    return file;
  }

  async close(): Promise<void> {
    Workbench.open_.delete(this);
    await this.browser.close();
    await this.host.stop();
    this.mirror?.remove();
  }
}

/** The ids of a gallery's tiles on screen, in reading order (the grid recycles tiles, so DOM order is not the view's). */
export function tilesInReadingOrder(gallery: Frame): Promise<string[]> {
  return gallery.locator('.tile:not([hidden])').evaluateAll((tiles) =>
    tiles
      .map((t) => ({ id: (t as HTMLElement).dataset.id!, box: t.getBoundingClientRect() }))
      .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left)
      .map((t) => t.id),
  );
}
