// Turns the dataset core's items, the journal and the model's predictions into what the gallery webview shows.
// No `vscode` here: URLs come in as a function, so this is tested in plain Node.
import * as path from 'node:path';
import type { Dataset, DatasetItem, JournalEdit, JournalEntry, ShownPrediction } from '../dataset';
import type { DatasetSummary, GalleryItem, HistoryEntry, SuggestedFinding } from '../shared/protocol';
import type { LabelIssueMarks } from '../ml/audit/issueMarks';
import { FindingScores } from './galleryFindings';

/** One item's prediction as the ML engine reports it. */
export interface PredictionInput {
  id: string;
  /** Probabilities in the order of `PredictionSet.classes`. */
  probs: readonly number[];
  /** The predicted class, by name or by index into `PredictionSet.classes`. */
  predicted: string | number;
  confidence: number;
  margin: number;
  entropy?: number;
  /** Label-issue score, when the engine computed one. */
  issueScore?: number;
  /** The split this item was in when the model was trained. */
  split?: string;
}

/** The predictions of one model version over a dataset. */
export interface PredictionSet {
  /** Model version, e.g. `v3`. */
  model: string;
  classes: readonly string[];
  predictions: readonly PredictionInput[];
  /** The previous version's predictions; by default the set the panel showed before. */
  previous?: readonly PredictionInput[];
}


/** Predictions by item id, with the class each previous version predicted. */
export class PredictionStore {
  private current = new Map<string, PredictionInput>();
  private changed = new Set<string>();
  private classes: readonly string[] = [];
  private issueScores = new Map<string, number>();
  private suggestedLabels = new Map<string, string>();
  private issueReasons = new Map<string, string>();
  private suggestedFindings = new Map<string, SuggestedFinding>();
  model: string | undefined;
  /** A multi-label dataset's findings model. */
  readonly findings = new FindingScores();

  /** Replaces the predictions; returns the ids whose gallery view changed. */
  set(update: PredictionSet): Set<string> {
    const previous = update.previous ? new Map(update.previous.map((p) => [p.id, p])) : this.current;
    const previousClasses = update.previous ? update.classes : this.classes;
    const touched = new Set(this.current.keys());
    const next = new Map(update.predictions.map((p) => [p.id, p]));
    const changed = new Set<string>();
    for (const [id, prediction] of next) {
      touched.add(id);
      const before = previous.get(id);
      if (before && className(before.predicted, previousClasses) !== className(prediction.predicted, update.classes)) changed.add(id);
    }
    this.current = next;
    this.changed = changed;
    this.classes = update.classes;
    this.model = update.model;
    return touched;
  }

  get hasIssueScores(): boolean {
    return this.issueScores.size > 0;
  }

  /** Label issues of the latest audit (they do not depend on a model version); returns the ids touched. */
  setLabelIssues(marks: LabelIssueMarks): Set<string> {
    const touched = new Set([
      ...this.issueScores.keys(),
      ...Object.keys(marks.scores),
      ...this.suggestedLabels.keys(),
      ...Object.keys(marks.suggestedLabels),
      ...this.suggestedFindings.keys(),
      ...Object.keys(marks.suggestedFindings),
    ]);
    this.issueScores = new Map(Object.entries(marks.scores));
    this.suggestedLabels = new Map(Object.entries(marks.suggestedLabels));
    this.issueReasons = new Map(Object.entries(marks.issueReasons));
    this.suggestedFindings = new Map(Object.entries(marks.suggestedFindings));
    return touched;
  }

  /** The fields a prediction (and the audit) add to a gallery item. */
  galleryFields(id: string): Pick<GalleryItem, 'prediction' | 'issueScore' | 'suggestedLabel' | 'issueReason' | 'suggestedFinding' | 'split' | 'findingProbs'> {
    const p = this.current.get(id);
    const findingProbs = this.findings.probsOf(id);
    const issueScore = this.issueScores.get(id) ?? p?.issueScore;
    const suggestedLabel = this.suggestedLabels.get(id);
    const suggestedFinding = this.suggestedFindings.get(id);
    const issueReason = this.issueReasons.get(id);
    return {
      ...(p ? { prediction: { predicted: className(p.predicted, this.classes), confidence: p.confidence, margin: p.margin, changed: this.changed.has(id) } } : {}),
      ...(issueScore !== undefined ? { issueScore } : {}),
      ...(suggestedLabel !== undefined ? { suggestedLabel } : {}),
      ...(issueReason !== undefined ? { issueReason } : {}),
      ...(suggestedFinding ? { suggestedFinding } : {}),
      ...(p?.split !== undefined ? { split: p.split } : {}),
      ...(findingProbs ? { findingProbs } : {}),
    };
  }

  /** What an edit records the user saw: the class's confidence, or for a finding its probability. */
  shownFor(edit: JournalEdit): ShownPrediction | undefined {
    const id = edit.item.id;
    if (edit.kind === 'finding') {
      const probability = this.findings.probabilityOf(id, edit.finding!);
      return probability !== undefined && this.findings.model ? { model: `findings ${this.findings.model.model}`, confidence: probability } : undefined;
    }
    const p = this.current.get(id);
    return p && this.model ? { model: this.model, confidence: p.confidence } : undefined;
  }

  /** Class probabilities for the detail view, highest first. */
  probabilities(id: string): { label: string; probability: number }[] {
    const p = this.current.get(id);
    if (!p) return [];
    return p.probs.map((probability, index) => ({ label: this.classes[index] ?? `class ${index}`, probability })).sort((a, b) => b.probability - a.probability);
  }
}

function className(predicted: string | number, classes: readonly string[]): string {
  return typeof predicted === 'number' ? (classes[predicted] ?? `class ${predicted}`) : predicted;
}

/**
 * Builds gallery items. Images go by reference: the webview joins the id (the original) or `thumbnailOf`'s path
 * (the cached thumbnail, relative to the cache folder) to the base URLs it got once.
 */
export function toGalleryItem(item: DatasetItem, thumbnailOf: (item: DatasetItem) => string | undefined, predictions: PredictionStore): GalleryItem {
  const metadata = Object.fromEntries(Object.entries(item.metadata).filter(([column, value]) => column !== 'sha256' && value !== ''));
  const thumb = item.error ? undefined : thumbnailOf(item);
  return {
    id: item.id,
    label: item.label,
    flagged: item.flagged,
    ...(item.note ? { note: item.note } : {}),
    ...(item.error ? { error: item.error } : {}),
    ...(thumb ? { thumb } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
    ...(item.metadata.split ? { split: item.metadata.split } : {}),
    ...(item.findings ? { findings: findingsShown(item.findings) } : {}),
    ...predictions.galleryFields(item.id),
  };
}

/** What a tile shows of a multi-label item: its positive and its uncertain findings, in the label file's order. */
function findingsShown(findings: NonNullable<DatasetItem['findings']>): NonNullable<GalleryItem['findings']> {
  const entries = Object.entries(findings);
  return { positive: entries.filter(([, state]) => state === 'positive').map(([name]) => name), uncertain: entries.filter(([, state]) => state === 'uncertain').map(([name]) => name) };
}

/**
 * The dataset's name, classes, findings and counts, and the models shown; `saved`: the counts a saved scan's
 * preview gives for every item.
 */
export function summarize(dataset: Dataset, shown: PredictionStore, saved?: Readonly<Record<string, number>>): DatasetSummary {
  const { model } = shown;
  const findingModel = shown.findings.model;
  const counts: Record<string, number> = Object.fromEntries(dataset.classes.map((name) => [name, 0]));
  let unlabeled = 0;
  if (saved) {
    for (const [name, count] of Object.entries(saved)) if (name === 'unlabeled') unlabeled = count;
    else counts[name] = count;
  } else {
    for (const item of dataset.items) {
      if (item.label === null) unlabeled++;
      else counts[item.label] = (counts[item.label] ?? 0) + 1;
    }
  }
  // A multi-label item has findings, not a class: "unlabelled" would say nothing about it.
  if (unlabeled && !dataset.multiLabel) counts.unlabeled = unlabeled;
  return {
    name: path.basename(dataset.root),
    root: dataset.root,
    classes: dataset.classes,
    counts,
    ...(model ? { model } : {}),
    ...(dataset.multiLabel ? { findings: [...dataset.multiLabel.findings] } : {}),
    ...(findingModel ? { findingModel } : {}),
  };
}

/** The journal entries about one item, oldest first, following it through moves. */
export function historyOf(entries: readonly JournalEntry[], id: string): HistoryEntry[] {
  const names = new Set([id]);
  // Walk backwards so a file moved to `id` brings the entries written under its earlier names.
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.kind === 'move' && typeof entry.new === 'string' && names.has(entry.new) && typeof entry.old === 'string') names.add(entry.old);
  }
  return entries
    .filter((entry) => names.has(entry.item) || (entry.kind === 'move' && typeof entry.new === 'string' && names.has(entry.new)))
    .map((entry) => ({
      time: entry.time,
      user: entry.user,
      kind: entry.kind,
      old: entry.old,
      new: entry.new,
      ...(entry.model !== undefined ? { model: entry.model } : {}),
      ...(entry.confidence !== undefined ? { confidence: entry.confidence } : {}),
      ...(entry.undoes ? { via: 'undo' as const } : entry.redoes ? { via: 'redo' as const } : {}),
    }));
}
