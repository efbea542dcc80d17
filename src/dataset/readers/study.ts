// A reading study: who reads which image, and whether they read blind. Stored with the consensus rule in
// `readers.json` (see `readersConfig.ts`); these are the pure rules the gallery, the command line and tests share.
import { createHash } from 'node:crypto';

export interface ReadingStudy {
  /** A reader sees neither the other readers' labels nor the model's prediction of an image until they have read it. */
  blind: boolean;
  /** How many readers read each image (the assignment); absent: every reader reads every image. */
  readersPerItem?: number;
  /** The readers who share the images (k of them per image, by `assignedReaders`); absent: whoever comes. */
  readers?: string[];
  /** Who settles the readers' disagreements; never blinded. Absent: anyone not blinded to the image. */
  adjudicator?: string;
}

/**
 * The readers an image is assigned to: `readersPerItem` consecutive readers of the roster, starting at a place
 * given by the image id's hash, so every reader gets about as many images and the same id always gets the same
 * readers. Null when the study has no roster (then anyone may read it).
 */
export function assignedReaders(itemId: string, study: ReadingStudy): string[] | null {
  const roster = study.readers;
  if (!roster?.length) return null;
  const k = Math.min(roster.length, study.readersPerItem ?? roster.length);
  const start = hashOf(itemId) % roster.length;
  return Array.from({ length: k }, (_, j) => roster[(start + j) % roster.length]);
}

/**
 * Whether `reader` still has to read an image that `readCount` readers have read, none of them `reader`: it is
 * assigned to them (with a roster), or it has fewer than `readersPerItem` readings (without one). The adjudicator
 * reads nothing unless the roster names them.
 */
export function waitsFor(reader: string, itemId: string, readCount: number, study: ReadingStudy): boolean {
  const assigned = assignedReaders(itemId, study);
  if (assigned) return assigned.includes(reader);
  if (reader === study.adjudicator) return false;
  return study.readersPerItem === undefined || readCount < study.readersPerItem;
}

/** A stable order of images that does not follow their folders (which would tell a blind reader the class). */
export function readingOrder(itemIds: readonly string[]): string[] {
  const keyed = itemIds.map((id) => [hashOf(`order:${id}`), id] as const);
  return keyed.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([, id]) => id);
}

/** The reasons a study is malformed (empty: fine). */
export function studyProblems(study: ReadingStudy): string[] {
  const problems: string[] = [];
  const k = study.readersPerItem;
  if (k !== undefined && (!Number.isInteger(k) || k < 1)) problems.push(`readersPerItem must be a whole number of at least 1, not ${k}`);
  if (study.readers) {
    if (study.readers.some((name) => typeof name !== 'string' || name.trim() === '')) problems.push('every reader needs a name');
    if (new Set(study.readers).size !== study.readers.length) problems.push('a reader is named twice');
    if (k !== undefined && study.readers.length > 0 && k > study.readers.length) problems.push(`${k} readers per image, but only ${study.readers.length} readers`);
  }
  if (study.adjudicator !== undefined && study.adjudicator.trim() === '') problems.push('the adjudicator needs a name');
  return problems;
}

function hashOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
