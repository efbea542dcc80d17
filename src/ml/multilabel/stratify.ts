/**
 * A patient-grouped, multi-label-stratified split: iterative stratification (Sechidis, Tsoumakas & Vlahavas,
 * "On the stratification of multi-label data", ECML PKDD 2011) over groups instead of single items, so a
 * patient's images stay on one side while every finding's positives are spread over the sides in proportion.
 *
 * The rarest finding still to place goes first: each group holding it joins the side that most lacks that
 * finding's positives (ties: the side that most lacks items, then the seeded order). Groups without positives
 * fill the sides by size at the end.
 */
import { groupMembers, seededRandom, shuffled } from '../splits';
import type { GroupId, Split } from '../splits';

/**
 * Splits items with `positives[i]` (finding indices positive on item i) into sides of the given fractions
 * (train, validation), keeping each group on one side. RangeError when a side with a positive fraction stays
 * empty (fewer groups than sides).
 */
export function iterativeGroupSplit(positives: readonly (readonly number[])[], groups: readonly GroupId[], fractions: { train: number; validation: number }, seed: number): Split {
  if (groups.length !== positives.length) throw new RangeError(`groups has ${groups.length} entries but positives has ${positives.length}`);
  const share = [fractions.train, fractions.validation];
  if (share.some((f) => !(f > 0 && f < 1)) || Math.abs(share[0] + share[1] - 1) > 1e-9) throw new RangeError(`fractions must be in (0, 1) and sum to 1, got ${share.join(' + ')}`);
  const random = seededRandom(seed);
  const units = shuffled(groupMembers(groups), random);
  const numFindings = positives.reduce((max, list) => list.reduce((m, f) => Math.max(m, f + 1), max), 0);

  // Positives per finding in each unit, and the units that hold each finding.
  const unitCounts = units.map((members) => {
    const counts = new Map<number, number>();
    for (const i of members) for (const f of positives[i]) counts.set(f, (counts.get(f) ?? 0) + 1);
    return counts;
  });
  const unitsWith: number[][] = Array.from({ length: numFindings }, () => []);
  unitCounts.forEach((counts, u) => counts.forEach((_, f) => unitsWith[f].push(u)));
  const remaining = new Array<number>(numFindings).fill(0);
  for (const counts of unitCounts) counts.forEach((c, f) => (remaining[f] += c));

  const wantedItems = share.map((f) => f * positives.length);
  const wantedPositives = share.map((f) => remaining.map((total) => f * total));
  const sideOf = new Int32Array(units.length).fill(-1);
  const place = (u: number, side: number): void => {
    sideOf[u] = side;
    wantedItems[side] -= units[u].length;
    unitCounts[u].forEach((c, f) => {
      wantedPositives[side][f] -= c;
      remaining[f] -= c;
    });
  };
  const bestSide = (finding: number | null): number => {
    let best = 0;
    for (let side = 1; side < share.length; side++) {
      const a = finding === null ? 0 : wantedPositives[side][finding] - wantedPositives[best][finding];
      const b = wantedItems[side] - wantedItems[best];
      if (a > 1e-9 || (Math.abs(a) <= 1e-9 && b > 1e-9)) best = side;
    }
    return best;
  };

  for (;;) {
    let rarest = -1;
    for (let f = 0; f < numFindings; f++) if (remaining[f] > 0 && (rarest < 0 || remaining[f] < remaining[rarest])) rarest = f;
    if (rarest < 0) break;
    for (const u of unitsWith[rarest]) if (sideOf[u] < 0) place(u, bestSide(rarest));
  }
  // Largest groups first, so the small ones even out the sizes.
  const rest = units.map((_, u) => u).filter((u) => sideOf[u] < 0).sort((a, b) => units[b].length - units[a].length);
  for (const u of rest) place(u, bestSide(null));

  const sides: number[][] = [[], []];
  units.forEach((members, u) => sides[sideOf[u]].push(...members));
  for (const side of sides) side.sort((a, b) => a - b);
  if (sides[0].length === 0 || sides[1].length === 0) throw new RangeError(`the ${sides[0].length === 0 ? 'train' : 'validation'} side is empty: too few patients to split`);
  return { train: sides[0], validation: sides[1], test: [] };
}
