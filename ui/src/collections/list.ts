// Pure helpers for the collection list: filter by name, sort by name or update time.

export interface CollectionSummary {
  uid: string;
  name: string;
  /** ISO 8601 time of the last update, as Postman returns it. */
  updatedAt: string;
  owner: string;
}

export type SortKey = 'name' | 'updated';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Case-insensitive substring match on the name, then sorted (name A→Z, or most recently updated first). */
export function filterAndSort(list: readonly CollectionSummary[], query: string, sort: SortKey): CollectionSummary[] {
  const q = query.trim().toLocaleLowerCase();
  const out = q ? list.filter((c) => c.name.toLocaleLowerCase().includes(q)) : list.slice();
  if (sort === 'name') out.sort((a, b) => collator.compare(a.name, b.name) || a.uid.localeCompare(b.uid));
  else out.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || collator.compare(a.name, b.name));
  return out;
}
