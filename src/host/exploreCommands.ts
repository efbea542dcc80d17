// Commands that choose what to look at next: the active-learning queue in the gallery, and the dataset map.
import * as vscode from 'vscode';
import { NEXT_STRATEGIES } from '../ml/nextQueue/rankNext';
import type { NextStrategy } from '../ml/nextQueue/rankNext';
import type { ItemList } from '../shared/protocol';
import type { CuratorContext } from './curatorContext';

const STRATEGY_PICKS: { label: string; description: string; strategy: NextStrategy }[] = [
  { label: 'Uncertainty', description: 'what the latest model is least sure of (entropy)', strategy: 'uncertainty' },
  { label: 'Diversity', description: 'k-center greedy: the images farthest from everything labelled', strategy: 'diversity' },
  { label: 'Mixed', description: 'diverse images among the most uncertain ones', strategy: 'mixed' },
];

/**
 * Next Images to Label: the unlabelled images (or, when all have a label, those nobody has reviewed) in the order
 * a strategy picks, as a list in the gallery walked by keyboard; each Retrain ranks it again.
 */
export async function nextToLabel(ctx: CuratorContext, root: string, strategy?: unknown): Promise<ItemList | undefined> {
  let chosen = NEXT_STRATEGIES.find((s) => s === strategy);
  if (!chosen) {
    const pick = await vscode.window.showQuickPick(STRATEGY_PICKS, { title: 'Which images to label next?', placeHolder: 'Each Retrain Model ranks the queue again' });
    if (!pick) return undefined;
    chosen = pick.strategy;
  }
  const panel = ctx.galleries.open(root);
  try {
    const list = await panel.vectors.next(chosen);
    panel.showList(list);
    return list;
  } catch (error) {
    void vscode.window.showErrorMessage(`X-Ray Curator: Next Images to Label: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
