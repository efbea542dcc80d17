import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderHtml } from '../ml/report/html';
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
    const title = `Report ${report.model.version}`;
    if (!ReportPanel.current) {
      const panel = vscode.window.createWebviewPanel('xrayCurator.report', title, vscode.ViewColumn.Active, {
        enableScripts: false,
        localResourceRoots: [],
      });
      ReportPanel.current = new ReportPanel(panel);
    }
    const { panel } = ReportPanel.current;
    panel.title = title;
    panel.webview.html = renderHtml(report, { nonce: randomBytes(16).toString('base64'), cspSource: panel.webview.cspSource });
    panel.reveal();
    return ReportPanel.current;
  }

  /** The page shown (for tests). */
  get html(): string {
    return this.panel.webview.html;
  }
}
