// Pure helpers for the collection list: filter by name, sort by name or update time.

export interface CollectionSummary {
  uid: string;
  name: string;
  /** ISO 8601 time of the last update, as Postman returns it. */
  updatedAt: string;
  owner: string;
  /** An unsaved draft of it is kept locally. */
  unsaved?: boolean;
}

export type SortKey = 'name' | 'updated';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
// The first comparison loads the collation data; do it at start-up, not in the first list render.
collator.compare('a', 'B');

/** A sorted copy: name A→Z, or most recently updated first (ties by name). */
export function sortCollections(list: readonly CollectionSummary[], sort: SortKey): CollectionSummary[] {
  if (sort === 'name') return list.slice().sort((a, b) => collator.compare(a.name, b.name) || a.uid.localeCompare(b.uid));
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

export function filterAndSort(list: readonly CollectionSummary[], query: string, sort: SortKey): CollectionSummary[] {
  return sortCollections(filterByName(list, query), sort);
}
