// The reading study's commands: Set Up Reading Study (the readers, how many read each image, blind or open, the
// consensus rule, into `readers.json`), the two queues in the gallery, and the agreement report.
import * as path from 'node:path';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { DEFAULT_CONSENSUS, describeReadersConfig, readerNames, readReadersConfig, studyProblems, writeReadersConfig } from '../../dataset/readers';
import type { ConsensusRule, ReadersConfig, ReadingStudy } from '../../dataset/readers';
import { parseAgreementReport, renderAgreementHtml } from '../../ml/agreement';
import type { AgreementReport } from '../../ml/agreement';
import type { ReportPaths } from '../../ml/report/writeReport';
import type { ItemList } from '../../shared/protocol';
import type { CuratorContext } from '../curatorContext';
import { runJobWithProgress } from '../jobProgress';
import { ReportPanel } from '../reportPanel';
import { readSettings } from '../settings';

const TITLE = 'Set Up Reading Study';

/**
 * Asks for the study step by step, each answer offered from the current `readers.json`, and writes it; every open
 * gallery on the dataset follows at once. A study under way can also be ended (back to: the latest edit wins).
 * Escape at any step changes nothing. Resolves with the study written, null when ended.
 */
export async function setUpReadingStudy(root: string): Promise<ReadersConfig | null | undefined> {
  const before = await readReadersConfig(root).catch(() => null);
  if (before) {
    const what = await vscode.window.showQuickPick(
      [
        { label: 'Change the study', description: `now: ${describeReadersConfig(before)}`, end: false },
        { label: 'End the study', description: "every reading stays in the journal; the latest edit is the label again, and nothing is blinded", end: true },
      ],
      { title: TITLE, ignoreFocusOut: true },
    );
    if (!what) return undefined;
    if (what.end) {
      await writeReadersConfig(root, null);
      void vscode.window.showInformationMessage('X-Ray Curator: the reading study has ended; the latest edit is the label again.');
      return null;
    }
  }
  const readersText = await vscode.window.showInputBox({
    title: `${TITLE} (1/4): readers`,
    prompt: "The readers who share the images, comma-separated: each one's xrayCurator.journalUser. Empty: whoever labels.",
    value: before?.study.readers?.join(', ') ?? '',
    ignoreFocusOut: true,
    validateInput: (text) => studyProblems({ blind: false, readers: readerNames(text) })[0],
  });
  if (readersText === undefined) return undefined;
  const readers = readerNames(readersText);
  const perItemText = await vscode.window.showInputBox({
    title: `${TITLE} (2/4): readers per image`,
    prompt: readers.length ? `How many of the ${readers.length} readers read each image (empty: all of them)` : 'How many readings each image gets before it leaves the reading queue (empty: every reader reads every image)',
    value: before?.study.readersPerItem?.toString() ?? '',
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? undefined : studyProblems({ blind: false, readers, readersPerItem: Number(text) })[0]),
  });
  if (perItemText === undefined) return undefined;
  const blind = await vscode.window.showQuickPick(
    [
      { label: 'Blind', description: "a reader sees neither the model's prediction nor the other readers until they have read the image", blind: true },
      { label: 'Open', description: 'everyone sees the model and every reading', blind: false },
    ],
    { title: `${TITLE} (3/4): blind reading`, ignoreFocusOut: true },
  );
  if (!blind) return undefined;
  const rule = await pickRule(before?.rule ?? DEFAULT_CONSENSUS, before?.study.adjudicator ?? (readSettings().journalUser || undefined));
  if (!rule) return undefined;
  const study: ReadingStudy = {
    blind: blind.blind,
    ...(readers.length ? { readers } : {}),
    ...(perItemText.trim() ? { readersPerItem: Number(perItemText) } : {}),
    ...(rule.kind === 'adjudicator' ? { adjudicator: rule.reader } : before?.study.adjudicator ? { adjudicator: before.study.adjudicator } : {}),
  };
  const config = { rule, study };
  await writeReadersConfig(root, config);
  void vscode.window.showInformationMessage(
    `X-Ray Curator: reading study set up (${describeReadersConfig(config)}). In the gallery, R shows your reading queue and D the disagreements to adjudicate.`,
  );
  return config;
}

/** The consensus rule; a rule that names a reader asks for the name. */
async function pickRule(current: ConsensusRule, adjudicator: string | undefined): Promise<ConsensusRule | undefined> {
  const picks = [
    { label: 'Majority', description: 'the value most readers gave; a tie settles nothing', rule: 'majority' as const },
    { label: 'Adjudicator', description: "a named adjudicator's decision, else the majority", rule: 'adjudicator' as const },
    { label: 'Unanimous', description: 'only where every reader agrees', rule: 'unanimous' as const },
    { label: "One reader's labels", description: 'a named reader is the reference', rule: 'single' as const },
  ];
  // The current rule first: Enter keeps it.
  const picked = await vscode.window.showQuickPick(
    [...picks.filter((p) => p.rule === current.kind), ...picks.filter((p) => p.rule !== current.kind)],
    { title: `${TITLE} (4/4): how the dataset's label is derived from the readings`, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  const kind = picked.rule;
  if (kind === 'majority' || kind === 'unanimous') return { kind };
  const name = await vscode.window.showInputBox({
    title: `${TITLE}: ${kind === 'adjudicator' ? 'the adjudicator' : 'the reference reader'}`,
    prompt: 'Their xrayCurator.journalUser name',
    value: current.kind === kind ? current.reader : (adjudicator ?? ''),
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'a name is needed'),
  });
  return name === undefined ? undefined : { kind, reader: name.trim() };
}

/** Show Reading Queue / Show Adjudication Queue: the study's queue as a list in the dataset's gallery. */
export async function showStudyQueue(ctx: CuratorContext, root: string, queue: 'read' | 'adjudicate'): Promise<ItemList | undefined> {
  const panel = ctx.galleries.open(root);
  try {
    const list = await panel.studyQueue(queue);
    panel.showList(list);
    return list;
  } catch (error) {
    void vscode.window.showErrorMessage(`X-Ray Curator: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * Show Agreement Report: built in a worker (the bootstrap intervals), saved beside the metric reports as JSON,
 * Markdown and HTML, and shown.
 */
export async function showAgreement(root: string): Promise<AgreementReport | undefined> {
  const made = await runJobWithProgress<{ report: AgreementReport; paths: ReportPaths }>('Building the agreement report', 'agreement', { root });
  if (made) showAgreementPage(made.report);
  return made?.report;
}

/** A saved agreement report (the side bar's row), rendered from the JSON beside it. */
export async function openAgreementFile(file: string): Promise<ReportPanel> {
  const json = file.replace(/\.(html|md)$/, '.json');
  return showAgreementPage(parseAgreementReport(await fs.readFile(json, 'utf8'), path.basename(json)));
}

function showAgreementPage(report: AgreementReport): ReportPanel {
  return ReportPanel.showPage(`Agreement: ${path.basename(report.dataset)}`, (options) => renderAgreementHtml(report, options));
}
