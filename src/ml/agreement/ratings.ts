// Readings as a grid of units × readers holding category codes, the input every agreement statistic takes.

/** A unit that nobody, or not this reader, read. */
export const MISSING = -1;

/** One rated unit: an image (single-label, or one finding of a multi-label image). */
export interface RatedUnit {
  id: string;
  /** The image the unit belongs to: the bootstrap draws whole images (all findings of one image together). */
  group: string;
  /** Category by reader; readers absent from the map did not read the unit. */
  readings: ReadonlyMap<string, string>;
}

export interface RatingTable {
  readers: readonly string[];
  categories: readonly string[];
  units: readonly string[];
  groups: readonly string[];
  /** `codes[u * readers.length + r]`: index into `categories`, or {@link MISSING}. */
  codes: Int32Array;
}

/**
 * Builds the grid. Readers and categories are sorted unless given (given categories fix the order of confusion
 * matrices; a reading outside them throws, as it would be a bug upstream).
 */
export function ratingTable(units: readonly RatedUnit[], categories?: readonly string[]): RatingTable {
  const readers = [...new Set(units.flatMap((unit) => [...unit.readings.keys()]))].sort();
  const cats = categories ?? [...new Set(units.flatMap((unit) => [...unit.readings.values()]))].sort();
  const readerIndex = new Map(readers.map((reader, r) => [reader, r]));
  const categoryIndex = new Map(cats.map((category, c) => [category, c]));
  const codes = new Int32Array(units.length * readers.length).fill(MISSING);
  units.forEach((unit, u) => {
    for (const [reader, category] of unit.readings) {
      const code = categoryIndex.get(category);
      if (code === undefined) throw new RangeError(`unit ${unit.id}: reading "${category}" is not one of ${cats.join(', ')}`);
      codes[u * readers.length + readerIndex.get(reader)!] = code;
    }
  });
  return { readers, categories: cats, units: units.map((u) => u.id), groups: units.map((u) => u.group), codes };
}

/** Category `category` against the rest: codes become 1 (it) or 0 (anything else); missing stays missing. */
export function oneVsRest(table: RatingTable, category: number): RatingTable {
  const codes = table.codes.map((code) => (code === MISSING ? MISSING : code === category ? 1 : 0));
  return { ...table, categories: [`not ${table.categories[category]}`, table.categories[category]], codes };
}

/** The units two readers both read, as paired codes, with the units' indices in the table. */
export function pairedCodes(table: RatingTable, a: number, b: number): { units: number[]; first: Int32Array; second: Int32Array } {
  const k = table.readers.length;
  const units: number[] = [];
  for (let u = 0; u < table.units.length; u++) {
    if (table.codes[u * k + a] !== MISSING && table.codes[u * k + b] !== MISSING) units.push(u);
  }
  return {
    units,
    first: Int32Array.from(units, (u) => table.codes[u * k + a]),
    second: Int32Array.from(units, (u) => table.codes[u * k + b]),
  };
}

/** Readings per unit and category (`counts[u * categories + c]`), and readings per unit. */
export function categoryCounts(table: RatingTable): { counts: Float64Array; perUnit: Float64Array } {
  const k = table.readers.length;
  const q = table.categories.length;
  const counts = new Float64Array(table.units.length * q);
  const perUnit = new Float64Array(table.units.length);
  for (let u = 0; u < table.units.length; u++) {
    for (let r = 0; r < k; r++) {
      const code = table.codes[u * k + r];
      if (code === MISSING) continue;
      counts[u * q + code]++;
      perUnit[u]++;
    }
  }
  return { counts, perUnit };
}
