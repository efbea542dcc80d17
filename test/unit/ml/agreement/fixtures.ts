import type { RatedUnit } from '../../../../src/ml/agreement';

/** Units from a readers × units grid (`null`: not read); reader names R1, R2, ... and unit names u1, u2, .... */
export function unitsFromGrid(grid: readonly (readonly (string | number | null)[])[]): RatedUnit[] {
  return grid[0].map((_, u) => {
    const readings = new Map<string, string>();
    grid.forEach((row, r) => {
      if (row[u] !== null) readings.set(`R${r + 1}`, String(row[u]));
    });
    return { id: `u${u + 1}`, group: `u${u + 1}`, readings };
  });
}

/** Units from a units × categories table of counts (Fleiss' layout); readers are anonymous, numbered per unit. */
export function unitsFromCounts(rows: readonly (readonly number[])[], categories: readonly string[]): RatedUnit[] {
  return rows.map((counts, u) => {
    const readings = new Map<string, string>();
    counts.forEach((count, c) => {
      for (let i = 0; i < count; i++) readings.set(`R${readings.size + 1}`, categories[c]);
    });
    return { id: `u${u + 1}`, group: `u${u + 1}`, readings };
  });
}

/** Two readers' units from a 2-reader contingency table: `table[a][b]` units where R1 said a and R2 said b. */
export function unitsFromContingency(table: readonly (readonly number[])[], categories: readonly string[]): RatedUnit[] {
  const units: RatedUnit[] = [];
  table.forEach((row, a) =>
    row.forEach((count, b) => {
      for (let i = 0; i < count; i++) {
        const id = `u${units.length + 1}`;
        units.push({ id, group: id, readings: new Map([['R1', categories[a]], ['R2', categories[b]]]) });
      }
    }),
  );
  return units;
}

/** Fleiss (1971) Table 1, as irr's `diagnoses`: 30 patients, 6 psychiatrists each, 5 diagnoses coded 1..5. */
export const DIAGNOSES = [
  [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
];

/** The same as a readers × patients grid (rater1 .. rater6). */
export const DIAGNOSES_GRID = DIAGNOSES[0].map((_, r) => DIAGNOSES.map((row) => row[r]));
