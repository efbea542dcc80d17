// The one order of items on both sides of the webview boundary: by id, comparing UTF-16 code units (`<`), which is
// what the host sends its pages in and what the gallery's name sort shows.

export function compareIds(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The items from `from` on are in id order (each also after the one before `from`). */
export function isSortedById(items: readonly { id: string }[], from = 0): boolean {
  for (let i = Math.max(1, from); i < items.length; i++) if (items[i - 1].id > items[i].id) return false;
  return true;
}
