/** Saves reports as JSON, Markdown and HTML under `<dataset>/.xray-curator/reports/`, and finds saved ones. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../../dataset/atomicFile';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { REPORT_VERSION, type Report } from './types';

export const REPORTS_DIR_NAME = 'reports';

export interface ReportPaths {
  json: string;
  md: string;
  html: string;
}

/** `<dataset>/.xray-curator/reports`. */
export function reportsDir(stateDir: string): string {
  return path.join(stateDir, REPORTS_DIR_NAME);
}

/**
 * Writes `report-<model>-<time>.{json,md,html}` into `dir`. Each file goes through a temporary file and a
 * rename; if a write fails or `signal` aborts, the files already written are removed, so a cancelled job
 * leaves either all three files or none. A second report of the same model in the same second replaces it.
 */
export async function writeReport(dir: string, report: Report, options: { signal?: AbortSignal } = {}): Promise<ReportPaths> {
  const base = path.join(dir, `report-${safeName(report.model.version)}-${compactTime(report.createdAt)}`);
  return writeReportFiles(base, { json: () => `${JSON.stringify(report, null, 2)}\n`, md: () => renderMarkdown(report), html: () => renderHtml(report) }, options.signal);
}

/**
 * Writes `<base>.{json,md,html}`, each through a temporary file and a rename: if a write fails or `signal` aborts,
 * the files already written are removed, so the caller leaves either all three files or none.
 */
export async function writeReportFiles(base: string, render: Record<keyof ReportPaths, () => string>, signal?: AbortSignal): Promise<ReportPaths> {
  const paths: ReportPaths = { json: `${base}.json`, md: `${base}.md`, html: `${base}.html` };
  const written: string[] = [];
  try {
    for (const format of ['json', 'md', 'html'] as const) {
      signal?.throwIfAborted();
      await writeAtomically(paths[format], render[format]());
      written.push(paths[format]);
    }
  } catch (error) {
    await Promise.all(written.map((file) => fs.rm(file, { force: true })));
    throw error;
  }
  return paths;
}

/** Parses a saved report; throws on another format version. */
export function parseReport(text: string, where = 'report'): Report {
  const value = JSON.parse(text) as Partial<Report> | null;
  if (value === null || typeof value !== 'object' || value.version !== REPORT_VERSION) {
    throw new Error(`${where} is not a report of format version ${REPORT_VERSION}`);
  }
  return value as Report;
}

/** The newest saved report of a model version in `dir`, or null when there is none. */
export async function latestReport(dir: string, modelVersion: string): Promise<Report | null> {
  const prefix = `report-${safeName(modelVersion)}-`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // The time stamp sorts lexically, newest last.
  const candidates = names.filter((n) => n.startsWith(prefix) && n.endsWith('.json')).sort().reverse();
  for (const name of candidates) {
    const report = parseReport(await fs.readFile(path.join(dir, name), 'utf8'), name);
    // `v1` must not pick up `v1-b`: both start with `report-v1-`.
    if (report.model.version === modelVersion) return report;
  }
  return null;
}

/** A model version usable in a file name. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
}

/** `2026-11-26T10:48:41.123Z` -> `20261126T104841Z`. */
export function compactTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`createdAt is not a date: ${iso}`);
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}
