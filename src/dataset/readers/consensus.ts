// Consensus rules: one value per item from its readers' readings, or no value and the reason. Pure functions over
// the votes of one item (reader → value: a class name, or a finding's state); `applyConsensus` runs a rule over a
// dataset's items. The dataset's label comes from them when `readers.json` names a rule (see `readersConfig.ts`).

export type ConsensusRule =
  /** The value with the most votes; a tie for the most votes settles nothing. One reading settles its item. */
  | { kind: 'majority' }
  /** The adjudicator's reading where they read the item; elsewhere the majority (ties unsettled). */
  | { kind: 'adjudicator'; reader: string }
  /** Only where every reader of the item gave the same value (one reading is unanimous). */
  | { kind: 'unanimous' }
  /** One reader's readings; items that reader did not read are unsettled. */
  | { kind: 'single'; reader: string };

/** The default rule: majority. */
export const DEFAULT_CONSENSUS: ConsensusRule = { kind: 'majority' };

export type Votes = ReadonlyMap<string, string>;

export type Outcome = { value: string } | { value: null; reason: string };

export function majority(votes: Votes): Outcome {
  const tally = new Map<string, number>();
  for (const value of votes.values()) tally.set(value, (tally.get(value) ?? 0) + 1);
  if (tally.size === 0) return { value: null, reason: 'no readings' };
  const most = Math.max(...tally.values());
  const leaders = [...tally].filter(([, count]) => count === most).map(([value]) => value).sort();
  if (leaders.length > 1) return { value: null, reason: `tie: ${leaders.map((v) => `${v} ${most}`).join(', ')}` };
  return { value: leaders[0] };
}

export function adjudicator(votes: Votes, reader: string): Outcome {
  const decision = votes.get(reader);
  return decision !== undefined ? { value: decision } : majority(votes);
}

export function unanimous(votes: Votes): Outcome {
  const values = new Set(votes.values());
  if (values.size === 0) return { value: null, reason: 'no readings' };
  if (values.size > 1) return { value: null, reason: `readers disagree: ${[...values].sort().join(', ')}` };
  return { value: [...values][0] };
}

export function single(votes: Votes, reader: string): Outcome {
  const value = votes.get(reader);
  return value !== undefined ? { value } : { value: null, reason: `not read by ${reader}` };
}

export function consensusOf(rule: ConsensusRule, votes: Votes): Outcome {
  switch (rule.kind) {
    case 'majority':
      return majority(votes);
    case 'adjudicator':
      return adjudicator(votes, rule.reader);
    case 'unanimous':
      return unanimous(votes);
    case 'single':
      return single(votes, rule.reader);
  }
}

export interface Unsettled {
  item: string;
  /** Multi-label: the finding left unsettled. */
  finding?: string;
  reason: string;
  readings: Record<string, string>;
}

export interface ConsensusResult {
  settled: Map<string, string>;
  unsettled: Unsettled[];
}

/**
 * Runs `rule` over every item's votes (items with no vote at all are neither settled nor unsettled). An
 * adjudicator's decision (`decided`, item → value) settles its item whatever the rule and the votes say.
 */
export function applyConsensus(rule: ConsensusRule, votesByItem: ReadonlyMap<string, Votes>, decided: ReadonlyMap<string, string> = new Map()): ConsensusResult {
  const settled = new Map<string, string>(decided);
  const unsettled: Unsettled[] = [];
  for (const [item, votes] of votesByItem) {
    if (votes.size === 0 || decided.has(item)) continue;
    const outcome = consensusOf(rule, votes);
    if (outcome.value !== null) settled.set(item, outcome.value);
    else unsettled.push({ item, reason: outcome.reason, readings: Object.fromEntries(votes) });
  }
  return { settled, unsettled };
}

/** `majority`, `unanimous`, `adjudicator:NAME` or `reader:NAME` (the command line's spelling); throws otherwise. */
export function parseConsensusRule(text: string): ConsensusRule {
  if (text === 'majority' || text === 'unanimous') return { kind: text };
  const m = /^(adjudicator|reader):(.+)$/.exec(text);
  if (!m) throw new RangeError(`unknown consensus rule "${text}" (majority, unanimous, adjudicator:NAME or reader:NAME)`);
  return m[1] === 'adjudicator' ? { kind: 'adjudicator', reader: m[2] } : { kind: 'single', reader: m[2] };
}

/** The command line's spelling of a rule. */
export function formatConsensusRule(rule: ConsensusRule): string {
  return rule.kind === 'majority' || rule.kind === 'unanimous' ? rule.kind : `${rule.kind === 'single' ? 'reader' : 'adjudicator'}:${rule.reader}`;
}
