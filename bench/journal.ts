// The label journal at scale: replaying a 100,000-line journal (what opening a heavily edited dataset reads),
// and the latency of one relabel keypress as the host records it (a durable, fsynced, locked append that first
// merges other writers' lines) on a dataset of 50,000 items whose journal already holds those lines.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LabelJournal, JOURNAL_FILE_NAME, STATE_DIR_NAME } from '../src/dataset';
import type { JournalEntry, JournalItem } from '../src/dataset';
import { seededRandom } from '../src/ml/splits';
import { progress, runBenchmark } from './lib/child';
import { percentile, timed } from './lib/stats';

const CLASSES = ['COVID', 'NORMAL', 'PNEUMONIA'];

function itemAt(i: number): JournalItem {
  const hash = createHash('sha256').update(String(i)).digest('hex');
  return { id: `${CLASSES[i % 3]}/image-${String(i).padStart(6, '0')}.png`, hash, sourceLabel: CLASSES[i % 3] };
}

/** `lines` journal lines over `items` items: relabels mostly, some flags and notes, as a long session leaves. */
function journalText(lines: number, items: number, seed: number): string {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let n = 0; n < lines; n++) {
    const item = itemAt(Math.floor(random() * items));
    const roll = random();
    const kind: JournalEntry['kind'] = roll < 0.8 ? 'relabel' : roll < 0.95 ? 'flag' : 'note';
    const entry: JournalEntry = {
      version: 1,
      id: `e${n}`,
      group: `g${n}`,
      time: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
      user: 'bench',
      kind,
      item: item.id,
      hash: item.hash,
      old: kind === 'flag' ? false : kind === 'note' ? '' : item.sourceLabel,
      new: kind === 'flag' ? true : kind === 'note' ? `checked ${n}` : CLASSES[Math.floor(random() * 3)],
    };
    out.push(JSON.stringify(entry));
  }
  return `${out.join('\n')}\n`;
}

runBenchmark('journal', async ({ quick, work }) => {
  const items = 50_000;
  const lines = 100_000;
  const relabels = quick ? 100 : 300;
  const root = path.join(work, 'journal-dataset');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, STATE_DIR_NAME), { recursive: true });
  const file = path.join(root, STATE_DIR_NAME, JOURNAL_FILE_NAME);
  fs.writeFileSync(file, journalText(lines, items, 7));
  const bytes = fs.statSync(file).size;

  progress('journal', `replaying ${lines} lines`);
  const replay = await timed(() => LabelJournal.open(root, { user: 'bench' }));
  const journal = replay.result;
  if (journal.entries.length !== lines) throw new Error(`replayed ${journal.entries.length} of ${lines} lines`);

  progress('journal', `${relabels} relabels`);
  const random = seededRandom(11);
  const latencies: number[] = [];
  for (let n = 0; n < relabels; n++) {
    const item = itemAt(Math.floor(random() * items));
    const start = performance.now();
    await journal.relabel(item, CLASSES[n % 3]);
    latencies.push(performance.now() - start);
  }
  const undo = await timed(() => journal.undo());
  return {
    metrics: {
      'journal.replayMs': replay.ms,
      'journal.relabelP50Ms': percentile(latencies, 50),
      'journal.relabelP99Ms': percentile(latencies, 99),
      'journal.undoMs': undo.ms,
    },
    inputs: { items, journalLines: lines, journalMB: +(bytes / 1e6).toFixed(1), relabels, fsync: true },
  };
});
