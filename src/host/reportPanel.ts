import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderHtml } from '../ml/report/html';
import type { HtmlOptions } from '../ml/report/html';
import type { Report } from '../ml/report/types';

/**
 * Shows a balanced-metric report in a webview. The page is the same self-contained HTML as the saved file (no
 * scripts; its one stylesheet allowed by a fresh nonce), rendered from the report's JSON.
 */
export class ReportPanel {
  private static current: ReportPanel | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel) {
    panel.onDidDispose(() => {
      if (ReportPanel.current === this) ReportPanel.current = undefined;
    });
  }

  static show(report: Report): ReportPanel {
    return ReportPanel.showPage(`Report ${report.model.version}`, (options) => renderHtml(report, options));
  }

  /** Shows a report page rendered by `render` (the single-label report, or a multi-label version's per-finding one). */
  static showPage(title: string, render: (options: HtmlOptions) => string): ReportPanel {
    if (!ReportPanel.current) {
      const panel = vscode.window.createWebviewPanel('xrayCurator.report', title, vscode.ViewColumn.Active, {
        enableScripts: false,
        localResourceRoots: [],
      });
      ReportPanel.current = new ReportPanel(panel);
    }
    const { panel } = ReportPanel.current;
    panel.title = title;
    panel.webview.html = render({ nonce: randomBytes(16).toString('base64'), cspSource: panel.webview.cspSource });
    panel.reveal();
    return ReportPanel.current;
  }

  /** The page shown (for tests). */
  get html(): string {
    return this.panel.webview.html;
  }
}
