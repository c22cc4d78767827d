// The collection list's rows, made from the columns Rust sends (CollectionColumns: an array per
// field and each owner once — 10,000 rows are ~1.0 MB of JSON instead of ~1.56 MB of objects).
import type { CollectionColumns } from '../bindings/CollectionColumns';
import type { Listed } from '../bindings/Listed';

/** A row of the collection list as CollectionList shows it. */
export interface CollectionRow {
  uid: string;
  name: string;
  /** "" when the answer named none. */
  owner: string;
  /** ISO 8601 time of the last update, as Postman returns it ("" when it gave none). */
  updatedAt: string;
  /** An unsaved draft of it is kept locally. */
  hasDraft: boolean;
}

/** The rows of a collection list, in its order, and where the list comes from. */
export function collectionRows(c: CollectionColumns): Listed<CollectionRow> {
  const rows = new Array<CollectionRow>(c.uid.length);
  let next = 0; // `drafted` is ascending
  for (let i = 0; i < rows.length; i++) {
    const o = c.owner[i];
    const hasDraft = c.drafted[next] === i;
    if (hasDraft) next++;
    rows[i] = {
      uid: c.uid[i]!,
      name: c.name[i]!,
      owner: o === null || o === undefined ? '' : (c.owners[o] ?? ''),
      updatedAt: c.updatedAt[i] ?? '',
      hasDraft,
    };
  }
  return { rows, source: c.source };
}

/**
 * The rows with the session's unsaved marks (`unsaved`: by uid, where they differ from what the
 * list said): a row whose mark is the list's own is the same object, so 10,000 rows cost no
 * copy.
 */
export function markUnsaved(rows: readonly CollectionRow[], unsaved: Readonly<Record<string, boolean>>): CollectionRow[] {
  return rows.map((r) => {
    const mark = unsaved[r.uid];
    return mark === undefined || mark === r.hasDraft ? r : { ...r, hasDraft: mark };
  });
}
