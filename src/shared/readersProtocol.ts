// The reading study's part of the gallery protocol (see protocol.ts): what a tile shows of its readers, what the
// gallery knows of the study, and the adjudicator's request.

/** An item's readings as this reader may see them (a dataset with a reading study, `readers.json`). */
export interface ItemReading {
  /**
   * Reader → class of each reading shown (multi-label: the findings they called positive); in blind reading, none
   * until this reader has read the item.
   */
  readers: Record<string, string>;
  /** The adjudicator's decision, when one settled the item. */
  decision?: { label: string; by: string; reason: string };
  /** Multi-label: the findings the readers disagree on with no decision yet, finding → reader → state. */
  findingReadings?: Record<string, Record<string, string>>;
  /** Multi-label: the adjudicator's decisions, by finding (`label` is the state). */
  findingDecisions?: Record<string, { label: string; by: string; reason: string }>;
  /** This reader still has to read it (assigned to them, or it has fewer readings than the study asks). */
  toRead?: true;
  /** Its readers disagree and no adjudicator has decided (the adjudication queue). */
  disagree?: true;
  /**
   * Blind reading, not read by this reader yet: the host sent no label, prediction, score, note or other reading
   * of it (they never reach the webview); the tile shows only the image and its file name.
   */
  blinded?: true;
}

/** The reading study the gallery shows (part of `DatasetSummary`). */
export interface StudySummary {
  /** Who this window reads as (`xrayCurator.journalUser`, else the OS user). */
  reader: string;
  blind: boolean;
  /** The consensus rule, as the command line spells it (`majority`, `adjudicator:NAME`, …). */
  rule: string;
  readersPerItem?: number;
  /** The readers who share the images; absent: whoever comes. */
  roster?: string[];
  adjudicator?: string;
  /** Images waiting for this reader, and images whose readers disagree with no decision yet. */
  toRead: number;
  toAdjudicate: number;
}

/**
 * The adjudicator settles one item the readers disagree on. Without `reason` the host asks for one (offering what
 * the readings say); the decision and the reason are journalled. Answered with `DoneReply` (0 entries: cancelled).
 */
export interface AdjudicateRequest {
  type: 'adjudicate';
  id: string;
  /** The class decided; with `finding`, the finding's state (positive, negative, uncertain, unmentioned). */
  label: string;
  /** Multi-label: the finding decided. */
  finding?: string;
  reason?: string;
}

/** Asks for one of the study's queues as a list: the images waiting for this reader, or the disagreements. Answered with `ListReply`. */
export interface StudyQueueRequest {
  type: 'studyQueue';
  queue: 'read' | 'adjudicate';
}
