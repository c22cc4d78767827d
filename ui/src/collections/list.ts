// Pure helpers for the collection list: filter by name, sort by name or update time.
import type { CollectionRow } from './rows';

export type SortKey = 'name' | 'updated';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
// The first comparison loads the collation data; do it at start-up, not in the first list render.
collator.compare('a', 'B');

const byName = (a: CollectionRow, b: CollectionRow) => collator.compare(a.name, b.name) || a.uid.localeCompare(b.uid);

/** Whether `list` is already in `cmp`'s order (one comparison per row). */
function inOrder<T>(list: readonly T[], cmp: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (cmp(list[i - 1] as T, list[i] as T) > 0) return false;
  return true;
}

/**
 * A sorted copy: name A→Z, or most recently updated first (ties by name). Rust sends the list in
 * name order already, so that sort is a check (10,000 comparisons instead of ~140,000).
 */
export function sortCollections(list: readonly CollectionRow[], sort: SortKey): CollectionRow[] {
  if (sort === 'name') return inOrder(list, byName) ? list.slice() : list.slice().sort(byName);
  // Parse each date once: 10,000 rows would otherwise parse ~280,000 times.
  return list
    .map((c) => ({ c, t: Date.parse(c.updatedAt) || 0 }))
    .sort((a, b) => b.t - a.t || collator.compare(a.c.name, b.c.name))
    .map((x) => x.c);
}

/** Case-insensitive substring match on the name, keeping the order. */
export function filterByName<T extends { name: string }>(list: readonly T[], query: string): readonly T[] {
  const q = query.trim().toLocaleLowerCase();
  return q ? list.filter((c) => c.name.toLocaleLowerCase().includes(q)) : list;
}

export function filterAndSort(list: readonly CollectionRow[], query: string, sort: SortKey): CollectionRow[] {
  return sortCollections(filterByName(list, query), sort);
}
