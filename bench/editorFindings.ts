// A multi-label set at the size it is distributed, in the real editor: NIH ChestX-ray14's 112,120 images (hard links
// to the shared 321, with NIH's own rows) and a findings model's probabilities for every image, opened in VS Code
// 1.100.3 (code-server) in headless Chromium. Measures the first tile, every item arriving, the finding filters and
// the sort by a finding's probability, and the memory of the extension host and the renderer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { stateDirOf, STATE_DIR_NAME } from '../src/dataset';
import { NIH_FINDINGS } from '../src/dataset/multilabel';
import { writeFindingPredictions } from '../src/ml/multilabel/findingPredictions';
import { seededRandom } from '../src/ml/splits';
import { Workbench } from '../test/ui/workbench';
import { progress, runBenchmark } from './lib/child';
import { nihFolder } from './lib/nihFolder';
import { processesMatching } from './lib/processMemory';
import { median } from './lib/stats';

/** Probabilities for every image, as Score Dataset writes them for a findings model (thresholds near NIH's prevalences). */
async function writeProbabilities(dir: string): Promise<void> {
  const random = seededRandom(7);
  const ids = fs.readdirSync(path.join(dir, 'images')).map((name) => `images/${name}`);
  await writeFindingPredictions(dir, {
    modelVersion: 1,
    findings: [...NIH_FINDINGS],
    thresholds: NIH_FINDINGS.map(() => 0.5),
    items: ids.map((id) => ({ id, probs: NIH_FINDINGS.map(() => random() ** 3) })),
    errors: [],
  });
}

/** From a change of a gallery control until the view is rebuilt and a frame painted, and the gallery's own share. */
async function changeLatency(frame: Frame, control: string, option: (labels: string[]) => number): Promise<{ totalMs: number; scriptMs: number }> {
  const labels = await frame.locator(`select[aria-label="${control}"] option`).allTextContents();
  const index = option(labels);
  if (index < 0) throw new Error(`${control}: no option to pick among ${labels.join(' | ')}`);
  return frame.evaluate(
    async ([label, at]) => {
      const started = performance.now();
      const select = document.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`)!;
      select.selectedIndex = at;
      select.dispatchEvent(new Event('change'));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      return { totalMs: performance.now() - started, scriptMs: performance.getEntriesByName('xray:rebuild-view').at(-1)?.duration ?? NaN };
    },
    [control, index] as const,
  );
}

function memoryMB(workbench: Workbench): { extensionHost: number | null; renderer: number | null } {
  const host = workbench.host.pid ? processesMatching(workbench.host.pid, '--type=extensionHost')[0] : undefined;
  return { extensionHost: host?.rssMB ?? null, renderer: processesMatching(process.pid, '--type=renderer')[0]?.privateMB ?? null };
}

runBenchmark('editorFindings', async ({ work }) => {
  // The size NIH distributes, in quick mode too: the figures are about that size.
  const rows = 112_120;
  progress('editorFindings', `linking ${rows} NIH images`);
  const dir = nihFolder(work, rows);
  fs.rmSync(path.join(dir, STATE_DIR_NAME), { recursive: true, force: true });
  await writeProbabilities(dir);
  const workbench = await Workbench.open(dir);
  try {
    await workbench.page.setViewportSize({ width: 1440, height: 900 });
    await workbench.runCommand('xrayCurator.openGallery');
    const started = Date.now();
    const frame = await workbench.webviewFrame('main.grid-host', 300_000);
    const firstTile = (await (
      await frame.waitForFunction(
        () => {
          const img = document.querySelector<HTMLImageElement>('.tile:not([hidden]) img');
          return img && img.complete && img.naturalWidth > 0 && document.querySelector('.tile:not([hidden]) .chip') ? performance.now() : null;
        },
        undefined,
        { timeout: 600_000, polling: 'raf' },
      )
    ).jsonValue()) as number;
    const commandToFirstTileMs = Date.now() - started;
    const total = rows.toLocaleString('en-US');
    const allItemsMs = (await (
      await frame.waitForFunction((n) => (document.querySelector('.counts')?.textContent?.startsWith(`Showing ${n} of ${n}`) ? performance.now() : null), total, { timeout: 900_000, polling: 100 })
    ).jsonValue()) as number;
    await frame.waitForFunction(() => document.querySelector<HTMLElement>('.loading')?.hidden, undefined, { timeout: 900_000, polling: 200 });
    const afterScan = memoryMB(workbench);

    progress('editorFindings', 'finding filters and the probability sort');
    const changes = { finding: [] as number[], state: [] as number[], sort: [] as number[] };
    const scripts = { finding: [] as number[], state: [] as number[], sort: [] as number[] };
    const findings = NIH_FINDINGS.slice(0, 4);
    for (const finding of findings) {
      const picked = await changeLatency(frame, 'Filter by finding', (labels) => labels.findIndex((l) => l.startsWith(`Finding: ${finding}`)));
      const disagreeing = await changeLatency(frame, 'Finding label or agreement', (labels) => labels.findIndex((l) => /disagrees/.test(l)));
      const sorted = await changeLatency(frame, 'Sort by', (labels) => labels.findIndex((l) => l.startsWith('Sort: P(')));
      changes.finding.push(picked.totalMs);
      changes.state.push(disagreeing.totalMs);
      changes.sort.push(sorted.totalMs);
      scripts.finding.push(picked.scriptMs);
      scripts.state.push(disagreeing.scriptMs);
      scripts.sort.push(sorted.scriptMs);
      await changeLatency(frame, 'Finding label or agreement', () => 0);
    }
    const settled = memoryMB(workbench);
    const worst = (values: number[]): number => Math.max(...values);
    return {
      metrics: {
        [`editorFindings.${rows}.firstTileMs`]: firstTile,
        [`editorFindings.${rows}.allItemsMs`]: allItemsMs,
        [`editorFindings.${rows}.findingFilterMs`]: worst(changes.finding),
        [`editorFindings.${rows}.disagreeingFilterMs`]: worst(changes.state),
        [`editorFindings.${rows}.probabilitySortMs`]: worst(changes.sort),
        [`editorFindings.${rows}.extensionHostMB`]: Math.max(afterScan.extensionHost ?? 0, settled.extensionHost ?? 0) || null,
        [`editorFindings.${rows}.rendererMB`]: Math.max(afterScan.renderer ?? 0, settled.renderer ?? 0) || null,
      },
      inputs: {
        rows,
        layout: 'images/ + Data_Entry_2017.csv: NIH rows repeated under new names and patients, hard links to the 321 shared images; findings-v1.json with 14 probabilities per image',
        viewport: '1440×900',
        host: 'code-server 4.100.3 (VS Code 1.100.3), headless Chromium',
        commandToFirstTileMs,
        findingsChanged: findings,
        medianMs: { finding: median(changes.finding), state: median(changes.state), sort: median(changes.sort) },
        scriptMedianMs: { finding: median(scripts.finding), state: median(scripts.state), sort: median(scripts.sort) },
        memoryMB: { afterScan, settled },
        stateDir: path.relative(dir, stateDirOf(dir)),
      },
      notes: ['firstTileMs: from the webview document starting to the first tile showing its image and its finding chips, the scan cache cold; each filter figure is the worst of 4 findings'],
    };
  } finally {
    await workbench.close();
  }
});
