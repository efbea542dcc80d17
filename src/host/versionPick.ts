// What Compare Model Versions makes of the versions picked in its quick pick (no vscode here, so it is unit-tested).

/** The two picked versions, newer first, or the message that tells the user what to pick instead. */
export function versionsToCompare<T extends { version: number }>(picked: readonly T[]): { newer: T; older: T } | { message: string } {
  if (picked.length !== 2) {
    return { message: `X-Ray Curator: pick exactly two model versions to compare (${picked.length === 0 ? 'none' : picked.length} picked).` };
  }
  const [newer, older] = [...picked].sort((a, b) => b.version - a.version);
  return { newer, older };
}
