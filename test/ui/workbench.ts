// Drives the real VS Code workbench in Chromium as a person would: the command palette, then the gallery webview
// inside its iframes. Screenshots go to test-results/screenshots/ (ignored by git).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { PROJECT_ROOT, VsCodeHost, launchBrowser, openWorkbench } from '../host/vscodeHost';

export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

export class Workbench {
  private constructor(
    readonly host: VsCodeHost,
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(folder: string, options: { trusted?: boolean; settings?: Record<string, unknown> } = {}): Promise<Workbench> {
    const host = await VsCodeHost.start({ trusted: options.trusted, settings: options.settings, isolatedCache: true });
    const browser = await launchBrowser();
    const page = await openWorkbench(browser, host.url({ folder, extensionDevelopmentPath: PROJECT_ROOT }));
    return new Workbench(host, browser, page);
  }

  /**
   * Runs a command by its palette title, as typed by a user. Retries while the workbench is still starting (the
   * palette can open before the extension host has registered the extension's commands).
   */
  async runCommand(title: string, attempts = 4): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        await this.page.keyboard.press('Enter');
        return;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (attempt >= attempts) throw error;
      }
    }
  }

  /** The content frame of the webview whose document matches `selector` (webviews are nested iframes). */
  async webviewFrame(selector: string, timeoutMs = 60_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (!frame.url().includes('/webview/browser/pre/')) continue;
        if (await frame.locator(selector).count().catch(() => 0)) return frame;
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

  /** Waits for a notification toast whose text matches, and returns its text. */
  async notification(text: RegExp, timeoutMs = 10 * 60_000): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return (await toast.textContent()) ?? '';
  }

  /** The text of a status-bar item by its id. */
  async statusBarText(id: string): Promise<string> {
    const item = this.page.locator(`.statusbar-item[id="${id}"]`);
    await item.waitFor({ state: 'visible' });
    return (await item.textContent()) ?? '';
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.host.stop();
  }
}
