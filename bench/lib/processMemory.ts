// Memory of processes this benchmark started, read from /proc (Linux): the Chromium renderers of a page and the
// VS Code extension host, as resident (RSS) and private (what the process alone holds) megabytes.
import * as fs from 'node:fs';

export interface ProcessMemory {
  pid: number;
  rssMB: number;
  privateMB: number;
}

/** Every descendant of `root`, by parent pid. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while listing.
    }
  }
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

function memoryOf(pid: number): ProcessMemory | null {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    return { pid, rssMB: kb('Rss') / 1024, privateMB: (kb('Private_Clean') + kb('Private_Dirty')) / 1024 };
  } catch {
    return null;
  }
}

/** The descendants of `root` whose command line contains `marker`, with their memory, largest first. */
export function processesMatching(root: number, marker: string): ProcessMemory[] {
  const found: ProcessMemory[] = [];
  for (const pid of descendants(root)) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(marker)) continue;
    const memory = memoryOf(pid);
    if (memory) found.push(memory);
  }
  return found.sort((a, b) => b.rssMB - a.rssMB);
}

/** The largest Chromium renderer this process started (a page's own process), or null. */
export function largestRenderer(): ProcessMemory | null {
  return processesMatching(process.pid, '--type=renderer')[0] ?? null;
}
