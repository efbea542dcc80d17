// The reading study as one window's reader sees it: each item's readings, what blind reading withholds, and the
// two queues (images waiting for this reader, disagreements to adjudicate). No `vscode` here: tested in plain Node.
// Blinding happens on the host: a blinded item's label, prediction, scores, note and others' readings are never sent.
import type { DatasetItem, JournalEntry } from '../../dataset';
import { formatConsensusRule, journalReadings, readingOrder, waitsFor } from '../../dataset/readers';
import type { Decision, FindingDecision, ReadersConfig } from '../../dataset/readers';
import { consensusOf } from '../../dataset/readers/consensus';
import type { DetailReply, GalleryItem, ItemList, ItemReading, StudySummary } from '../../shared/protocol';

export class StudyView {
  private config: ReadersConfig | null = null;
  /** Item → reader → class (single-label readings). */
  private labels = new Map<string, Map<string, string>>();
  /** Item → the readers who read it (a class or any finding). */
  private readBy = new Map<string, Set<string>>();
  private decisions = new Map<string, Decision>();
  /** Multi-label: item → finding → reader → state, and item → finding → the adjudicator's decision. */
  private findingVotes = new Map<string, Map<string, Map<string, string>>>();
  private findingDecisions = new Map<string, Map<string, FindingDecision>>();
  /** `summary`'s count of images waiting for this reader, until the journal or the items change. */
  private toReadCount: { items: readonly DatasetItem[]; count: number } | undefined;

  constructor(
    /** Who this window reads as. */
    readonly reader: string,
  ) {}

  get active(): boolean {
    return this.config !== null;
  }

  /** Takes the study and the journal as they are now (after every journal change). */
  update(config: ReadersConfig | null, entries: readonly JournalEntry[]): void {
    this.config = config;
    this.toReadCount = undefined;
    // Without a study nothing is shown of the readings: the journal is not replayed on every edit.
    const readings = config ? journalReadings(entries) : { labels: [], findings: [], decisions: [], findingDecisions: [] };
    this.labels = new Map();
    this.readBy = new Map();
    for (const { item, reader, value } of readings.labels) {
      let votes = this.labels.get(item);
      if (!votes) this.labels.set(item, (votes = new Map()));
      votes.set(reader, value);
    }
    for (const { item, reader } of [...readings.labels, ...readings.findings]) {
      let readers = this.readBy.get(item);
      if (!readers) this.readBy.set(item, (readers = new Set()));
      readers.add(reader);
    }
    this.decisions = new Map(readings.decisions.map((d) => [d.item, d]));
    this.findingVotes = new Map();
    for (const { item, reader, value } of readings.findings) {
      let byFinding = this.findingVotes.get(item);
      if (!byFinding) this.findingVotes.set(item, (byFinding = new Map()));
      for (const [finding, state] of Object.entries(value)) {
        let votes = byFinding.get(finding);
        if (!votes) byFinding.set(finding, (votes = new Map()));
        votes.set(reader, state);
      }
    }
    this.findingDecisions = new Map();
    for (const decision of readings.findingDecisions) {
      let byFinding = this.findingDecisions.get(decision.item);
      if (!byFinding) this.findingDecisions.set(decision.item, (byFinding = new Map()));
      byFinding.set(decision.finding, decision);
    }
  }

  /** Whether blind reading withholds this item from this reader: not read by them, and they are not the adjudicator. */
  blinded(id: string): boolean {
    const study = this.config?.study;
    return !!study?.blind && this.reader !== study.adjudicator && !this.readBy.get(id)?.has(this.reader);
  }

  /** What the gallery shows of an item under the study (unchanged without one). */
  shown(item: GalleryItem): GalleryItem {
    if (!this.config) return item;
    const reading = this.readingOf(item.id, item.error !== undefined);
    if (!reading.blinded) return { ...item, reading };
    // Only what the reader needs to read it: the image, its file and its (non-label) metadata.
    return {
      id: item.id,
      label: null,
      flagged: false,
      ...(item.thumb ? { thumb: item.thumb } : {}),
      ...(item.error ? { error: item.error } : {}),
      ...(item.metadata ? { metadata: item.metadata } : {}),
      ...(item.findings ? { findings: { positive: [], uncertain: [] } } : {}),
      reading,
    };
  }

  /**
   * The detail view under the study: its readings; blinded, nothing of the model or of the other readers (their
   * entries are left out of the history, the findings show no probability).
   */
  shownDetail(reply: DetailReply): DetailReply {
    if (!this.config) return reply;
    const reading = this.readingOf(reply.id, false);
    if (!reading.blinded) return { ...reply, reading };
    return {
      ...reply,
      probabilities: [],
      history: reply.history.filter((entry) => entry.user === this.reader),
      ...(reply.findings ? { findings: reply.findings.map(({ finding }) => ({ finding, state: 'unmentioned' as const })) } : {}),
      saliencyAvailable: false,
      reading,
    };
  }

  /** The study for the gallery's summary, with its two queues' lengths over `items`. */
  summary(items: readonly DatasetItem[]): StudySummary | undefined {
    if (!this.config) return undefined;
    const { rule, study } = this.config;
    // Sent with every patch: counted once per change, not per patch (400,000 assignments take a while).
    if (this.toReadCount?.items !== items) {
      let count = 0;
      for (const item of items) if (!item.error && this.waitsForMe(item.id)) count++;
      this.toReadCount = { items, count };
    }
    const toRead = this.toReadCount.count;
    return {
      reader: this.reader,
      blind: study.blind,
      rule: formatConsensusRule(rule),
      ...(study.readersPerItem !== undefined ? { readersPerItem: study.readersPerItem } : {}),
      ...(study.readers ? { roster: [...study.readers] } : {}),
      ...(study.adjudicator !== undefined ? { adjudicator: study.adjudicator } : {}),
      toRead,
      toAdjudicate: this.disagreements().length,
    };
  }

  /** The images waiting for this reader, in an order that does not follow their folders. */
  readingQueue(items: readonly DatasetItem[]): ItemList {
    const { study } = this.requireStudy();
    const ids = readingOrder(items.filter((item) => !item.error && this.waitsForMe(item.id)).map((item) => item.id));
    const how = study.blind ? 'blind reading' : 'reading';
    return { kind: 'read', title: `${ids.length} image(s) waiting for ${this.reader} (${how})`, ids };
  }

  /** The images whose readers disagree with no decision yet: those the rule leaves unsettled first. */
  adjudicationQueue(): ItemList {
    const { rule, study } = this.requireStudy();
    if (study.adjudicator !== undefined && study.adjudicator !== this.reader) {
      throw new Error(`${study.adjudicator} adjudicates this study; this window reads as ${this.reader} (xrayCurator.journalUser)`);
    }
    const open = this.disagreements().filter((id) => !this.blinded(id));
    const unsettled = new Set(open.filter((id) => this.unsettledBy(rule, id)));
    const ids = [...readingOrder(open.filter((id) => unsettled.has(id))), ...readingOrder(open.filter((id) => !unsettled.has(id)))];
    const ruleText = formatConsensusRule(rule);
    return { kind: 'adjudicate', title: `${ids.length} image(s) the readers disagree on (${unsettled.size} left unsettled by ${ruleText})`, ids };
  }

  /**
   * The reason offered for deciding `label`: which readers it sides with, and what the rule would have given.
   * Throws when the item may not be adjudicated by this reader (blinded, or nobody has read it).
   */
  proposedReason(id: string, label: string, finding?: string): string {
    const { rule } = this.requireStudy();
    if (this.blinded(id)) throw new Error(`${id}: read it first (blind reading), or adjudicate as the study's adjudicator`);
    const votes = finding === undefined ? this.labels.get(id) : this.findingVotes.get(id)?.get(finding);
    if (!votes || votes.size === 0) throw new Error(`${id} has no readings${finding === undefined ? '' : ` of ${finding}`} to adjudicate`);
    const sides = [...votes].filter(([, value]) => value === label).map(([reader]) => reader).sort();
    const outcome = consensusOf(rule, votes);
    const ruleText = outcome.value === null ? `${formatConsensusRule(rule)} left it unsettled (${outcome.reason})` : `${formatConsensusRule(rule)} gave ${outcome.value}`;
    return `${sides.length ? `sides with ${sides.join(', ')}` : 'none of the readers'}; ${ruleText}`;
  }

  private readingOf(id: string, unusable: boolean): ItemReading {
    const blinded = this.blinded(id);
    const toRead = !unusable && this.waitsForMe(id);
    if (blinded) return { readers: {}, ...(toRead ? { toRead: true as const } : {}), blinded: true };
    const votes = this.labels.get(id);
    const decision = this.decisions.get(id);
    const open = this.disagreeingFindings(id);
    const disagree = (!decision && votes !== undefined && new Set(votes.values()).size > 1) || open.length > 0;
    const decided = this.findingDecisions.get(id);
    return {
      readers: votes ? Object.fromEntries(votes) : this.positiveFindings(id),
      ...(decision ? { decision: { label: decision.label, by: decision.reader, reason: decision.reason } } : {}),
      ...(open.length ? { findingReadings: Object.fromEntries(open.map((f) => [f, Object.fromEntries(this.findingVotes.get(id)!.get(f)!)])) } : {}),
      ...(decided?.size ? { findingDecisions: Object.fromEntries([...decided].map(([f, d]) => [f, { label: d.state, by: d.reader, reason: d.reason }])) } : {}),
      ...(toRead ? { toRead: true as const } : {}),
      ...(disagree ? { disagree: true as const } : {}),
    };
  }

  /** Multi-label: reader → the findings they called positive ("no finding" when none). */
  private positiveFindings(id: string): Record<string, string> {
    const byReader = new Map<string, string[]>();
    for (const [finding, votes] of this.findingVotes.get(id) ?? []) {
      for (const [reader, state] of votes) {
        const list = byReader.get(reader) ?? [];
        if (state === 'positive') list.push(finding);
        byReader.set(reader, list);
      }
    }
    return Object.fromEntries([...byReader].map(([reader, list]) => [reader, list.length ? list.sort().join(', ') : 'no finding']));
  }

  /** The findings of an item whose readers disagree, with no decision yet. */
  private disagreeingFindings(id: string): string[] {
    const decided = this.findingDecisions.get(id);
    return [...(this.findingVotes.get(id) ?? [])].filter(([finding, votes]) => !decided?.has(finding) && new Set(votes.values()).size > 1).map(([finding]) => finding).sort();
  }

  /** Whether the rule leaves the item (single-label) or one of its disagreeing findings unsettled. */
  private unsettledBy(rule: ReadersConfig['rule'], id: string): boolean {
    const votes = this.labels.get(id);
    if (votes && !this.decisions.has(id) && new Set(votes.values()).size > 1 && consensusOf(rule, votes).value === null) return true;
    return this.disagreeingFindings(id).some((finding) => consensusOf(rule, this.findingVotes.get(id)!.get(finding)!).value === null);
  }

  private waitsForMe(id: string): boolean {
    const readers = this.readBy.get(id);
    return !readers?.has(this.reader) && waitsFor(this.reader, id, readers?.size ?? 0, this.config!.study);
  }

  /** Items with readings that differ and no decision (multi-label: on some finding). */
  private disagreements(): string[] {
    const ids: string[] = [];
    for (const [id, votes] of this.labels) if (!this.decisions.has(id) && new Set(votes.values()).size > 1) ids.push(id);
    for (const id of this.findingVotes.keys()) if (this.disagreeingFindings(id).length) ids.push(id);
    return ids;
  }

  private requireStudy(): ReadersConfig {
    if (!this.config) throw new Error('This dataset has no reading study: run X-Ray Curator: Set Up Reading Study first.');
    return this.config;
  }
}
