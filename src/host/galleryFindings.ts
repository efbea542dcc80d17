// The findings model's probabilities as the gallery shows them: one array per item in the model's finding order,
// with the model's findings and thresholds sent once in the dataset summary. No `vscode` here (tested in Node).
import type { DatasetItem } from '../dataset';
import type { FindingPredictionsFile } from '../ml/multilabel/findingPredictions';
import type { DetailReply, FindingModel } from '../shared/protocol';

export class FindingScores {
  private probs = new Map<string, number[]>();
  model: FindingModel | undefined;

  /** Replaces the probabilities with a newer version's; returns the ids whose gallery view changed. */
  set(file: Pick<FindingPredictionsFile, 'modelVersion' | 'findings' | 'thresholds' | 'items'>): Set<string> {
    const touched = new Set(this.probs.keys());
    this.probs = new Map(file.items.map((item) => [item.id, item.probs]));
    for (const id of this.probs.keys()) touched.add(id);
    this.model = { model: `v${file.modelVersion}`, findings: file.findings, thresholds: file.thresholds };
    return touched;
  }

  /** The item's probabilities in the model's finding order (sent as they are; not to be changed). */
  probsOf(id: string): number[] | undefined {
    return this.probs.get(id);
  }

  /** The probability shown for one finding of one item, to record with an edit of it. */
  probabilityOf(id: string, finding: string): number | undefined {
    const index = this.model?.findings.indexOf(finding) ?? -1;
    return index < 0 ? undefined : this.probs.get(id)?.[index];
  }

  /** Every finding of the dataset for the detail view: its label on this item and the model's probability. */
  detailRows(item: DatasetItem, findings: readonly string[]): NonNullable<DetailReply['findings']> {
    const probs = this.probs.get(item.id);
    return findings.map((finding) => {
      const index = this.model?.findings.indexOf(finding) ?? -1;
      return {
        finding,
        state: item.findings?.[finding] ?? 'unmentioned',
        ...(probs && index >= 0 ? { probability: probs[index], threshold: this.model!.thresholds[index] } : {}),
      };
    });
  }
}
